"""Column assignment: each located row's printed numbers → template cells, under the template's constraints.

- A row printing as many numbers as it has columns fills them in order (blank fields are layout padding).
  A lone number printed unlike the row's others after a blank line is a page number, not a cell.
- A row printing fewer: explicit blank fields that make the count exact are printed blanks (null) — unless
  complete rows of the same table show the same blanks before / after their numbers: then they are layout
  padding (seed 003's trailing tab and pushed labels).
- Otherwise, one number short: `gaps.place_gaps` lets the identities decide where the gap is; the dropped
  cell is filled only where they force its value (`origin: "inferred"`), else nothing is filled and an issue
  says so. A single blank at the edge of such a row is read as an empty cell if the identities cannot place
  a gap. Never more than one missing number per row is recovered.
- A row the text cuts off at its end fills its printed numbers left to right; nothing is inferred for it.
- A row whose numbers are digit runs glued together is split under the identities (`glued`).
- Rows that are not in the text stay absent (`missing_rows`). The form of the template is decided per block
  (`structure`): a 2019-form 第二十条 block is not mapped, the others of the same table are; a 2019-form table 3
  (`（六）其他处理` one row) maps but for the three `t3.other.*` sub-rows, whose merged row is reported in an issue and
  in `meta["forms"]["t3_other_merged"]` for the identities; a table 3 of two applicant columns does not map; a
  report on the pre-2019 outline yields no cells.
"""
from __future__ import annotations

import re

from .. import template as T
from ..model import Cell, Issue, Report
from ..textnorm import squash_normalised
from .gaps import Gap, place_gaps
from .glued import GluedRow, may_be_glued, resolve, row_options
from .labels import ROWS
from .numbers import Token, is_ocr_fixed
from .structure import Layout, RowRead, read_layout

# how sure a value is from the way it was read (validate.py moves it with the identities)
CONF_READ, CONF_OCR, CONF_GLUED, CONF_BLANK = 0.95, 0.75, 0.85, 0.9
CONF_INFERRED, CONF_AMBIGUOUS_BLANK, CONF_BY_COLUMNS = 0.8, 0.8, 0.75
CONF_SPLIT, CONF_SPLIT_AMBIGUOUS = 0.92, 0.5  # a glued run split one way by the identities / several ways
SPLIT = "_split_from"  # attribute of a cell split from a glued run: the run as printed

T4_CELLS: tuple[str, ...] = T.T4_CELL_IDS


def _cell(cid: str, tok: Token | None, line: int, conf: float, label_score: float = 1.0,
          glued_line: bool = False) -> Cell:
    if tok is None:
        return Cell(cid, None, line=line, confidence=conf * _label_factor(label_score))
    if is_ocr_fixed(tok.raw or tok.text):
        conf = min(conf, CONF_OCR)
    elif tok.glued and not glued_line:  # on a line that lost its separators every value is glued to its label
        conf = min(conf, CONF_GLUED)
    return Cell(cid, tok.value, line=tok.line, confidence=conf * _label_factor(label_score), raw=tok.raw)


def _label_factor(score: float) -> float:
    return 1.0 if score >= 0.9 else 0.6 + 0.4 * max(score, 0.0) / 0.9


def _edges(slots: list[Token]) -> tuple[int, int]:
    """Number of blank fields before the first and after the last number."""
    kinds = [t.kind for t in slots]
    if "num" not in kinds:
        return len(kinds), 0
    return kinds.index("num"), kinds[::-1].index("num")


Padding = tuple[set[int], set[int]]  # blank counts before / after the numbers that complete rows show


def decode_row(cells: tuple[str, ...], slots: list[Token], line: int, padding: Padding, cut: bool,
               label_score: float = 1.0, glued_line: bool = False, right_aligned: bool = False
               ) -> tuple[dict[str, Cell], Gap | GluedRow | None, Issue | None]:
    k = len(cells)
    slots = _drop_page_number(slots)
    nums = [t for t in slots if t.kind == "num"]
    runs = [may_be_glued(t, glued_line) for t in nums]
    if len(nums) < k and any(runs) and not cut:
        options, short = row_options(cells, nums, runs)
        if options:
            raw = " ".join(t.raw or t.text for t in nums)
            return {}, GluedRow(cells, nums[0].line, options, label_score, raw, short), None
    if len(nums) > k:
        slots = _drop_odd_numbers(slots, k)
        nums = [t for t in slots if t.kind == "num"]
    if len(nums) == k:
        return {c: _cell(c, t, line, CONF_READ, label_score, glued_line) for c, t in zip(cells, nums)}, None, None
    if len(nums) > k:
        return {}, None, Issue("unfilled_cells", f"line {line}: {len(nums)} numbers for {k} columns; "
                               "not filled", list(cells), [line])
    if cut:  # the text ends inside this row: what is printed fills the columns from the left
        return {c: _cell(c, t, line, CONF_READ, label_score) for c, t in zip(cells, nums)}, None, None
    if not nums:
        if len(slots) >= k:  # an explicit empty field in every column: a row printed blank
            return {c: _cell(c, None, line, CONF_BLANK, label_score) for c in cells}, None, None
        return {}, None, Issue("unfilled_cells", f"line {line}: row printed without values", list(cells), [line])
    lead, trail = _edges(slots)
    # blanks that complete rows of the table show in the same place are layout, not empty cells (003)
    cand = slots[lead if lead in padding[0] else 0: len(slots) - (trail if trail in padding[1] else 0)]
    conf = CONF_BLANK
    extra = len(cand) - k
    num_conf = CONF_READ
    if extra > 0:
        # more blank fields than gaps: drop outer blanks, trailing first (the usual padding); in a markdown
        # table the values fill the last columns (a label's colspan leaves empty cells after it), so leading
        # first. Which columns the numbers are in is then a guess: every cell of the row is doubted.
        lead2, trail2 = _edges(cand)
        if right_aligned:
            cut_head = min(extra, lead2)
            cut_tail = extra - cut_head
            cand = cand[cut_head: len(cand) - cut_tail] if cut_tail <= trail2 else []
        else:
            cut_tail = min(extra, trail2)
            cut_head = extra - cut_tail
            cand = cand[cut_head: len(cand) - cut_tail] if cut_head <= lead2 else []
        conf = num_conf = CONF_AMBIGUOUS_BLANK
    blanks_read: dict[str, Cell] | None = None
    if len(cand) == k:
        blanks_read = {c: _cell(c, t if t.kind == "num" else None, line,
                                num_conf if t.kind == "num" else conf, label_score) for c, t in zip(cells, cand)}
        edge = cand[0].kind == "blank" or cand[-1].kind == "blank"
        if not (len(nums) == k - 1 and edge):
            return blanks_read, None, None
        # one blank at the edge of a row one number short: an empty cell, or merged-cell padding beside a
        # dropped number? The identities decide when they force the gap; otherwise it is an empty cell.
    if len(nums) == k - 1:
        return {}, Gap(cells, nums, line, label_score, blanks_read), None
    return {}, None, Issue("unfilled_cells", f"line {line}: {len(nums)} numbers for {k} columns and the gaps "
                           "cannot be placed; not filled", list(cells), [line])


def _drop_page_number(slots: list[Token]) -> list[Token]:
    """A lone number on its own line after a blank line, following numbers printed otherwise (a tab row, or
    cells without that gap): a page number at a page break, not the row's last cell."""
    nums = [t for t in slots if t.kind == "num"]
    if len(nums) < 3:
        return slots
    last, rest = nums[-1], nums[:-1]
    alone, gap = last.shape.split("|")[1] == "True", last.shape.rsplit("|", 1)[-1]
    if alone and gap != "0" and last.line != rest[-1].line and len({t.shape for t in rest}) == 1 \
            and rest[0].shape != last.shape:
        return [t for t in slots if t is not last]
    return slots


def _drop_odd_numbers(slots: list[Token], k: int) -> list[Token]:
    """Too many numbers: drop those printed unlike the row's others (a page number between two pages of a
    one-cell-per-line table), when that leaves exactly k."""
    nums = [t for t in slots if t.kind == "num"]
    shapes = [t.shape for t in nums]
    main = max(shapes, key=shapes.count)  # ties: the shape of the first number, the one beside the label
    odd = [t for t in nums if t.shape != main]
    if odd and len(nums) - len(odd) == k:
        return [t for t in slots if t not in odd]
    return slots


def _apply_gaps(gaps: list[Gap], cells: dict[str, Cell], issues: list[Issue]) -> None:
    placed, left = place_gaps(gaps, {c: v.value for c, v in cells.items()})
    for p in placed:
        conf = CONF_BY_COLUMNS if p.by_columns else CONF_READ
        rest = [c for i, c in enumerate(p.gap.cells) if i != p.dropped]
        for c, t in zip(rest, p.gap.numbers):
            cells[c] = _cell(c, t, p.gap.line, conf, p.gap.label_score)
        cid = p.gap.cells[p.dropped]
        cells[cid] = Cell(cid, p.values[cid], line=p.gap.line, origin="inferred",
                          confidence=CONF_INFERRED * _label_factor(p.gap.label_score))
    if placed:
        several = sum(p.several for p in placed)
        listed = ", ".join(f"{p.gap.cells[p.dropped]} = {p.values[p.gap.cells[p.dropped]]}" for p in placed)
        issues.append(Issue("inferred_cells", f"{len(placed)} row(s) print one number fewer than their columns; "
                            f"the identities force the missing value: {listed}"
                            + (f" ({several} of them: whichever column was dropped, the values are the same)"
                               if several else ""),
                            [p.gap.cells[p.dropped] for p in placed], sorted({p.gap.line for p in placed})))
    for gap in left:
        if gap.fallback:  # the edge blank was an empty cell after all
            cells.update(gap.fallback)
            continue
        issues.append(Issue("unfilled_cells", f"line {gap.line}: the row prints {len(gap.numbers)} of "
                            f"{len(gap.cells)} numbers and the identities cannot tell which column is "
                            "missing; not filled", list(gap.cells), [gap.line]))


# ------------------------------------------------------------------ the whole report
def _padding(rows: list[RowRead]) -> dict[tuple[str, int], Padding]:
    """Blank counts before / after the numbers on complete rows, per table and row width."""
    out: dict[tuple[str, int], Padding] = {}
    for rr in rows:
        k = len(rr.row.cells)
        pad = out.setdefault((rr.row.table, k), (set(), set()))
        if sum(t.kind == "num" for t in rr.slots) == k:
            lead, trail = _edges(rr.slots)
            pad[0].add(lead)
            pad[1].add(trail)
    return out


def decode_layout(layout: Layout) -> tuple[dict[str, Cell], list[Issue], dict]:
    """(cells, issues, forms): `forms` says which form of the template each block was printed in."""
    cells: dict[str, Cell] = {}
    issues: list[Issue] = []
    gaps: list[Gap] = []
    glued: list[GluedRow] = []
    # a table 3 of two applicant columns (自然人 / 法人或其他组织, 2-3 numbers a row) is not the template's table
    two_columns = layout.t3_columns != "2021" and _prints_two_columns(layout.rows)
    t3_form = "two_columns" if two_columns else "2019" if layout.merged_other else "2021"
    skip_rows = {k for k, f in layout.t2_row_forms.items() if f == "2019"}
    padding = _padding(layout.rows)

    def take(ids, slots, line, pad, cut, score=1.0, into=cells):
        got, held, issue = decode_row(ids, slots, line, pad, cut, score, line in layout.glued_lines,
                                      layout.markdown)
        into.update(got)
        if isinstance(held, Gap):
            gaps.append(held)
        elif held is not None:
            glued.append(held)
        if issue:
            issues.append(issue)

    for rr in layout.rows:
        if rr.row.key in skip_rows or (two_columns and rr.row.table == "t3"):
            continue
        take(rr.row.cells, rr.slots, rr.label.line, padding[(rr.row.table, len(rr.row.cells))], rr.cut, rr.score)
    merged: dict[str, Cell] = {}
    if layout.merged_other and not two_columns:
        mo = layout.merged_other
        take(mo.row.cells, mo.slots, mo.label.line, padding.get(("t3", 7), (set(), set())), mo.cut, into=merged)
    for group, line, slots, cut in layout.t4:
        ids = T4_CELLS if group is None else tuple(c for c in T4_CELLS if T.CELL_BY_ID[c].row == group)
        take(ids, slots, line, (set(), set()), cut)
    _apply_glued(glued, cells, merged, issues)
    pseudo = dict(merged)
    _apply_gaps(gaps, cells, issues)
    for c in list(cells):  # a glued run or a gap of the merged row was resolved into the pseudo cells
        if c in T.MERGED_OTHER_CELLS:
            pseudo[c] = cells.pop(c)
    forms: dict = {}
    if layout.t2_blocks:
        forms["t2"] = dict(layout.t2_blocks)
    if any(r.row.table == "t3" for r in layout.rows):
        forms["t3"] = t3_form
    if layout.t4_found:
        forms["t4"] = "2021"
    if pseudo:
        forms["t3_other_merged"] = {T.CELL_BY_ID_MERGED[c]: v.value for c, v in pseudo.items()}
        vals = ", ".join(f"{T.CELL_BY_ID_MERGED[c]} {_fmt(v.value)}" for c, v in pseudo.items())
        issues.append(Issue("merged_other_row", "table 3 is in the 2019 form: （六）其他处理 is printed as one row "
                            f"({vals}); the three t3.other.* sub-rows are not in the text and stay absent; the "
                            "identities use the merged row", [], [layout.merged_other.label.line]))  # type: ignore
    for item, form in layout.t2_blocks:
        if form == "2019":
            issues.append(Issue("template_2019", f"table 2: the {item} block follows the 2019 template (other "
                                "columns); its cells are not mapped to the 2021 template"))
    if two_columns:
        issues.append(Issue("template_2019", "table 3 prints two applicant columns (自然人 / 法人或其他组织), not "
                            "the template's seven; its cells are not mapped"))
    found = bool(cells) or len(layout.rows) >= 3 or layout.t4_found
    if not found:
        issues.append(Issue("missing_rows", "no table of the template (sections 二, 三, 四) found in the text"))
    else:
        skip = {"t3"} if two_columns else set()
        issues += _missing(layout, cells, skip, skip_rows, issues)
    return dict(sorted(cells.items(), key=lambda kv: T.CELL_BY_ID[kv[0]].index)), issues, forms


def _fmt(v) -> str:
    return "null" if v is None else f"{v:g}" if isinstance(v, float) else str(v)


def _apply_glued(rows: list[GluedRow], cells: dict[str, Cell], merged: dict[str, Cell],
                 issues: list[Issue]) -> None:
    known = {c: v.value for c, v in cells.items()}
    known.update({c: v.value for c, v in merged.items()})
    doubtful = []
    resolutions = resolve(rows, known)
    for res in resolutions:
        r = res.row
        for cid, value, sure in zip(r.cells, res.values, res.certain):
            conf = (CONF_SPLIT if sure else CONF_SPLIT_AMBIGUOUS) * _label_factor(r.label_score)
            if r.short:  # a digit was missing: which cell it was is not in the text
                conf = min(conf, CONF_INFERRED)
            cell = Cell(cid, value, line=r.line, confidence=conf, raw=r.raw)
            setattr(cell, SPLIT, r.raw)
            (merged if cid in T.MERGED_OTHER_CELLS else cells)[cid] = cell
        if not all(res.certain):
            doubtful.append(res)
    short = [res.row for res in resolutions if res.row.short]
    if short:
        issues.append(Issue("inferred_cells", f"{len(short)} row(s) print their values run together and one digit "
                            "short of their columns; the row's identity forces the missing value (which column "
                            "was dropped is not in the text)", [c for r in short for c in r.cells],
                            sorted({r.line for r in short})))
    for res in doubtful:
        r = res.row
        unsure = [c for c, sure in zip(r.cells, res.certain) if not sure]
        alts = "; ".join(", ".join(map(str, a)) for a in res.alternatives)
        issues.append(Issue("glued_digits", f"line {r.line}: the digits '{r.raw}' run together and split several "
                            f"ways that the identities allow; written as {', '.join(map(str, res.values))}"
                            + (f" (also possible: {alts})" if alts else ""), [c for c in unsure if c in T.CELL_BY_ID],
                            [r.line]))


def _prints_two_columns(rows: list[RowRead]) -> bool:
    t3 = [sum(t.kind == "num" for t in r.slots) for r in rows if r.row.table == "t3" and r.slots]
    return len(t3) >= 3 and sum(n in (2, 3) for n in t3) * 2 > len(t3)


def _missing(layout: Layout, cells: dict[str, Cell], skip: set[str], skip_rows: set[str],
             issues: list[Issue]) -> list[Issue]:
    out: list[Issue] = []
    seen = {rr.row.key for rr in layout.rows}
    merged = layout.merged_other is not None
    for table, name in (("t2", "table 2 (section 二)"), ("t3", "table 3 (section 三)")):
        if table in skip:
            continue
        rows = [r for r in ROWS if r.table == table and r.key not in skip_rows
                and not (merged and r.key.startswith("t3.other."))]
        lost = [r for r in rows if r.key not in seen]
        if len(lost) == len(rows):
            out.append(Issue("missing_rows", f"{name} not found in the text", [c for r in lost for c in r.cells]))
        elif lost:
            out.append(Issue("missing_rows", f"{name}: {len(lost)} rows not in the text "
                             f"({', '.join(r.key for r in lost)}); their cells are left absent",
                             [c for r in lost for c in r.cells]))
    if not layout.t4_found:
        out.append(Issue("missing_rows", "table 4 (section 四) not found in the text", list(T4_CELLS)))
    elif not any(c in cells for c in T4_CELLS) and not any(c in i.cells for c in T4_CELLS for i in issues):
        out.append(Issue("missing_rows", "table 4 (section 四): no values found", list(T4_CELLS)))
    return out


def decode_cells(report: Report) -> Report:
    """Fill `report.cells` from the located rows (no validation; see `align_cells`)."""
    layout = read_layout(report)
    if _pre2019_outline(report, layout):
        cells, forms = {}, {"outline": "pre-2019"}
        issues = [Issue("template_2019", "the report follows the pre-2019 outline (概述 / 依申请公开 / 收费及减免); "
                        "its tables are not the template's and no cell is mapped")]
    else:
        cells, issues, forms = decode_layout(layout)
    report.cells = cells
    report.issues = [i for i in report.issues if i.kind not in _OWN_KINDS] + issues
    report.meta["forms"] = forms
    report.meta["template"] = _template_word(forms)
    return report


def _template_word(forms: dict) -> str:
    """One word for the whole report, kept for panels: the per-block forms are in `meta['forms']`."""
    seen = set(forms.get("t2", {}).values()) | {forms[t] for t in ("t3",) if t in forms}
    if forms.get("outline"):
        return "pre-2019"
    if not forms:
        return "unknown"
    seen.discard("two_columns")
    return "mixed" if len(seen) > 1 else seen.pop() if seen else "2021"


# top-level headings only the old outline has (a 2019-form report also opens with '一、概述')
_OLD_OUTLINE = re.compile(r"^\s*[一二三四五六七八]\s*[、.．]\s*(?:.{0,12}收费(?:及|和|与)减免|依申请公开[^，。,]{0,20}情况)")
_TEMPLATE_WORDS = ("本年新收", "本年度办理结果", "第二十条", "本年制发件数", "本年新制作数量", "结果维持")


def _pre2019_outline(report: Report, layout: Layout) -> bool:
    """The pre-2019 outline (概述 / 依申请公开 / 收费及减免) with none of the template's tables."""
    heads = [ln.norm for ln in report.lines if not ln.blank and len(ln.norm) <= 40]
    if sum(bool(_OLD_OUTLINE.search(h)) for h in heads) < 1:
        return False
    text = "".join(squash_normalised(ln.norm) for ln in report.lines)
    return not any(w in text for w in _TEMPLATE_WORDS)


_OWN_KINDS = {"unfilled_cells", "inferred_cells", "missing_rows", "template_2019", "identity_violation",
              "low_confidence", "glued_digits", "merged_other_row"}
