"""Constrained decoding of the cell tagger's output: per-number probabilities → template cells.

1. Assignment: the numbers, in reading order, are matched to the 200 cells, in template order, by a monotone
   alignment (dynamic programming over log-probabilities): every cell is used at most once, and the cells follow
   the template's row / column order as the numbers follow the text. A number may stay `O`; a cell may stay
   absent (a row the text lost). Confidence = the model's probability of the chosen cell.
2. Printed blanks: cells skipped between two assigned numbers are `null` when exactly as many empty fields
   (`[BLANK]`) stand between those numbers — after the last label between them, and not on that label's line
   (header rows are full of empty merged cells).
3. Rows one number short: the identities decide where the gap is (`gaps.place_gaps`, shared with the
   rule-structured decoder); a forced value is filled as `origin: "inferred"`. Where they cannot decide, an empty
   field at the row's edge is a printed blank; otherwise the model's placement stays, with its confidence capped
   at `CONF_UNPLACED` so that `validate_cells` names the cells as low-confidence.
4. `tag_cells` (a pipeline stage, like `align_cells`) adds the missing-row issues and runs `validate_cells`:
   identities checked, confidences moved, violations and low-confidence cells named.
"""
from __future__ import annotations


import numpy as np

from .. import template as T
from ..model import Cell, Issue, Report
from .gaps import Gap, place_gaps
from .numbers import Token, is_ocr_fixed
from .tagger import LABEL_INDEX, CellTagger, Tagging, default_tagger
from .validate import validate_cells

FLOOR = 1e-6  # probability floor before the log
CONF_UNPLACED = 0.6  # a row one number short whose gap neither the model nor the identities place for sure
CONF_INFERRED = 0.8
CONF_OCR = 0.75

ROWS: dict[tuple[str, str], tuple[str, ...]] = {}
for _c in T.CELLS:
    ROWS.setdefault((_c.table, _c.row), ())
    ROWS[(_c.table, _c.row)] += (_c.id,)

OWN_KINDS = {"unfilled_cells", "inferred_cells", "missing_rows", "template_2019", "identity_violation",
             "low_confidence"}


# ------------------------------------------------------------------ 1. monotone assignment
def monotone_assign(probs: np.ndarray) -> list[int | None]:
    """Best monotone matching of numbers (rows of `probs`, columns O + cells) to cells: for each number the
    index of its cell in template order, or None for O. Cells strictly increase with the numbers."""
    n = probs.shape[0]
    if not n:
        return []
    logp = np.log(np.maximum(probs, FLOOR))
    o, s = logp[:, 0], logp[:, 1:]
    m = s.shape[1]
    f = np.zeros(m + 1)
    took = np.zeros((n, m + 1), dtype=bool)  # A[j] came from "number i → cell j-1"
    src = np.zeros((n, m + 1), dtype=np.int32)  # F_i[j] = A[src]
    ar = np.arange(m + 1)
    for i in range(n):
        skip = f + o[i]
        take = np.full(m + 1, -np.inf)
        take[1:] = f[:-1] + s[i]
        a = np.maximum(skip, take)
        took[i] = take > skip
        f = np.maximum.accumulate(a)
        src[i] = np.maximum.accumulate(np.where(a >= f, ar, 0))
    out: list[int | None] = [None] * n
    j = m
    for i in range(n - 1, -1, -1):
        j = int(src[i, j])
        if took[i, j]:
            out[i] = j - 1
            j -= 1
    return out


# ------------------------------------------------------------------ decoding
def _cell(cid: str, tok: Token, conf: float) -> Cell:
    if is_ocr_fixed(tok.raw or tok.text):
        conf = min(conf, CONF_OCR)
    return Cell(cid, tok.value, line=tok.line, confidence=conf, raw=tok.raw)


def decode_tags(tagging: Tagging) -> tuple[dict[str, Cell], list[Issue], str]:
    """(cells, issues, template) from the tagger's output on one report."""
    feats, probs = tagging.features, tagging.probs
    toks = feats.tokens
    assign = monotone_assign(probs)
    cells: dict[str, Cell] = {}
    tok_of: dict[str, int] = {}
    for i, j in enumerate(assign):
        if j is not None:
            cid = T.CELL_IDS[j]
            cells[cid] = _cell(cid, toks[i], float(probs[i, LABEL_INDEX[cid]]))
            tok_of[cid] = i
    issues: list[Issue] = []
    _printed_blanks(feats, assign, cells)
    _rows_one_short(feats, cells, tok_of, issues)
    template = _template(feats, cells)
    if template != "unknown":
        issues += _missing_rows(cells, template)
    return dict(sorted(cells.items(), key=lambda kv: T.CELL_BY_ID[kv[0]].index)), issues, template


def _printed_blanks(feats, assign: list[int | None], cells: dict[str, Cell]) -> None:
    pos = {id(t): k for k, t in enumerate(feats.stream)}
    placed = [(pos[id(feats.tokens[i])], j) for i, j in enumerate(assign) if j is not None]
    prev_pos, prev_j = -1, -1
    for p, j in placed + [(len(feats.stream), len(T.CELL_IDS))]:
        missing = [k for k in range(prev_j + 1, j)]
        if missing and prev_pos >= 0:
            between = feats.stream[prev_pos + 1:p]
            cut = max((k for k, t in enumerate(between) if t.kind in ("label", "barrier")), default=-1)
            label_line = between[cut].line if cut >= 0 else None
            blanks = [t for t in between[cut + 1:] if t.kind == "blank" and t.line != label_line]
            if len(blanks) == len(missing):
                conf = min(cells[T.CELL_IDS[prev_j]].confidence, cells[T.CELL_IDS[j]].confidence) * 0.95 \
                    if j < len(T.CELL_IDS) else cells[T.CELL_IDS[prev_j]].confidence * 0.9
                for k, b in zip(missing, blanks):
                    cid = T.CELL_IDS[k]
                    cells[cid] = Cell(cid, None, line=b.line, confidence=conf)
        prev_pos, prev_j = p, j


def _rows_one_short(feats, cells: dict[str, Cell], tok_of: dict[str, int], issues: list[Issue]) -> None:
    gaps: list[Gap] = []
    for key, ids in ROWS.items():
        got = [c for c in ids if c in cells]
        if len(ids) < 2 or len(got) != len(ids) - 1 or any(cells[c].value is None for c in got):
            continue
        idx = [tok_of[c] for c in got]
        if idx != list(range(idx[0], idx[0] + len(idx))):
            continue  # the row's numbers are not printed together: not a dropped column
        gaps.append(Gap(ids, [feats.tokens[i] for i in idx], feats.tokens[idx[0]].line,
                        min(cells[c].confidence for c in got)))
    if not gaps:
        return
    in_gaps = {c for g in gaps for c in g.cells}
    known = {c: v.value for c, v in cells.items() if c not in in_gaps}
    placed, left = place_gaps(gaps, known)
    for p in placed:
        conf = p.gap.label_score
        rest = [c for i, c in enumerate(p.gap.cells) if i != p.dropped]
        for c in p.gap.cells:
            cells.pop(c, None)
        for c, t in zip(rest, p.gap.numbers):
            cells[c] = _cell(c, t, conf)
        cid = p.gap.cells[p.dropped]
        cells[cid] = Cell(cid, p.values[cid], line=p.gap.line, origin="inferred", confidence=CONF_INFERRED * conf)
    if placed:
        issues.append(Issue("inferred_cells", f"{len(placed)} row(s) print one number fewer than their columns; "
                            "the identities force the missing value: "
                            + ", ".join(f"{p.gap.cells[p.dropped]} = {p.values[p.gap.cells[p.dropped]]}"
                                        for p in placed),
                            [p.gap.cells[p.dropped] for p in placed], sorted({p.gap.line for p in placed})))
    for gap in left:
        for c in gap.cells:
            if c in cells:
                cells[c].confidence = min(cells[c].confidence, CONF_UNPLACED)
        issues.append(Issue("unfilled_cells", f"line {gap.line}: the row prints {len(gap.numbers)} of "
                            f"{len(gap.cells)} numbers; the identities cannot tell which column is missing, the "
                            "model's placement is kept with low confidence", list(gap.cells), [gap.line]))


def _template(feats, cells: dict[str, Cell]) -> str:
    if any(c.startswith(("t2.", "t3.")) for c in cells):
        return "2021"
    words = "".join(t.text for t in feats.stream if t.kind == "label")
    if any(m in words for m in T.TEMPLATE_2019_MARKERS):
        return "2019"
    return "2021" if cells else "unknown"


def _missing_rows(cells: dict[str, Cell], template: str) -> list[Issue]:
    out: list[Issue] = []
    names = {"t2": "table 2 (section 二)", "t3": "table 3 (section 三)", "t4": "table 4 (section 四)"}
    for table, name in names.items():
        if template == "2019" and table != "t4":
            out.append(Issue("template_2019", f"{name} follows the 2019 template; its cells are not mapped "
                             "to the 2021 template"))
            continue
        rows = [(k, ids) for k, ids in ROWS.items() if k[0] == table]
        lost = [(k, ids) for k, ids in rows if not any(c in cells for c in ids)]
        if len(lost) == len(rows):
            out.append(Issue("missing_rows", f"{name} not found in the text", [c for _, ids in lost for c in ids]))
        elif lost:
            out.append(Issue("missing_rows", f"{name}: {len(lost)} rows not in the text "
                             f"({', '.join(k[1] for k, _ in lost)}); their cells are left absent",
                             [c for _, ids in lost for c in ids]))
    return out


# ------------------------------------------------------------------ the pipeline stage
def tag_cells(report: Report, tagger: CellTagger | None = None) -> Report:
    """Pipeline stage (the tagger's counterpart of `align_cells`): fill `report.cells`, the cell issues and
    `report.meta['template']` from the cell tagger, decoded under the template's constraints and validated."""
    tagging = (tagger or default_tagger()).tag(report)
    cells, issues, template = decode_tags(tagging)
    report.cells = cells
    report.issues = [i for i in report.issues if i.kind not in OWN_KINDS] + issues
    report.meta["template"] = template
    return validate_cells(report)


__all__ = ["decode_tags", "monotone_assign", "tag_cells"]
