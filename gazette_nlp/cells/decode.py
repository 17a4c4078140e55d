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
- Rows that are not in the text stay absent (`missing_rows`); 2019-template tables 2 and 3 are not mapped.
"""
from __future__ import annotations

from .. import template as T
from ..model import Cell, Issue, Report
from .gaps import Gap, place_gaps
from .labels import ROWS
from .numbers import Token, is_ocr_fixed
from .structure import Layout, RowRead, read_layout

# how sure a value is from the way it was read (validate.py moves it with the identities)
CONF_READ, CONF_OCR, CONF_GLUED, CONF_BLANK = 0.95, 0.75, 0.85, 0.9
CONF_INFERRED, CONF_AMBIGUOUS_BLANK, CONF_BY_COLUMNS = 0.8, 0.8, 0.75

T4_CELLS: tuple[str, ...] = T.T4_CELL_IDS


def _cell(cid: str, tok: Token | None, line: int, conf: float, label_score: float = 1.0) -> Cell:
    if tok is None:
        return Cell(cid, None, line=line, confidence=conf * _label_factor(label_score))
    if is_ocr_fixed(tok.raw or tok.text):
        conf = min(conf, CONF_OCR)
    elif tok.glued:
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
               label_score: float = 1.0) -> tuple[dict[str, Cell], Gap | None, Issue | None]:
    k = len(cells)
    slots = _drop_page_number(slots)
    nums = [t for t in slots if t.kind == "num"]
    if len(nums) > k:
        slots = _drop_odd_numbers(slots, k)
        nums = [t for t in slots if t.kind == "num"]
    if len(nums) == k:
        return {c: _cell(c, t, line, CONF_READ, label_score) for c, t in zip(cells, nums)}, None, None
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
    if extra > 0:  # more blank fields than gaps: drop outer blanks, trailing first (the usual padding)
        lead2, trail2 = _edges(cand)
        cut_tail = min(extra, trail2)
        cut_head = extra - cut_tail
        cand = cand[cut_head: len(cand) - cut_tail] if cut_head <= lead2 else []
        conf = CONF_AMBIGUOUS_BLANK
    blanks_read: dict[str, Cell] | None = None
    if len(cand) == k:
        blanks_read = {c: _cell(c, t if t.kind == "num" else None, line,
                                CONF_READ if t.kind == "num" else conf, label_score) for c, t in zip(cells, cand)}
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


def decode_layout(layout: Layout) -> tuple[dict[str, Cell], list[Issue], str]:
    cells: dict[str, Cell] = {}
    issues: list[Issue] = []
    gaps: list[Gap] = []
    # the 2019 table 3 prints two applicant columns (自然人 / 法人或其他组织): its rows carry 2-3 numbers
    t3_2019 = layout.t3_columns != "2021" and _prints_two_columns(layout.rows)
    # a report on the 2019 template: its tables 2 and 3 differ from the 2021 ones (other columns, (六)其他处理
    # as one row) and are not mapped; table 4 did not change
    old = layout.t2_2019 or t3_2019 or layout.t3_2019_rows
    skip = {"t2", "t3"} if old else set()
    padding = _padding(layout.rows)
    for rr in layout.rows:
        if rr.row.table in skip:
            continue
        pad = padding[(rr.row.table, len(rr.row.cells))]
        got, gap, issue = decode_row(rr.row.cells, rr.slots, rr.label.line, pad, rr.cut, rr.score)
        cells.update(got)
        if gap:
            gaps.append(gap)
        if issue:
            issues.append(issue)
    for group, line, slots, cut in layout.t4:
        ids = T4_CELLS if group is None else tuple(c for c in T4_CELLS if T.CELL_BY_ID[c].row == group)
        got, gap, issue = decode_row(ids, slots, line, (set(), set()), cut)
        cells.update(got)
        if gap:
            gaps.append(gap)
        if issue:
            issues.append(issue)
    _apply_gaps(gaps, cells, issues)
    if old:
        template = "2019"
    else:
        template = "2021" if cells or len(layout.rows) >= 3 or layout.t4_found else "unknown"
    if template == "unknown":
        issues.append(Issue("missing_rows", "no table of the template (sections 二, 三, 四) found in the text"))
    else:
        issues += _missing(layout, cells, skip, issues)
    return dict(sorted(cells.items(), key=lambda kv: T.CELL_BY_ID[kv[0]].index)), issues, template


def _prints_two_columns(rows: list[RowRead]) -> bool:
    t3 = [sum(t.kind == "num" for t in r.slots) for r in rows if r.row.table == "t3" and r.slots]
    return len(t3) >= 3 and sum(n in (2, 3) for n in t3) * 2 > len(t3)


def _missing(layout: Layout, cells: dict[str, Cell], skip: set[str], issues: list[Issue]) -> list[Issue]:
    out: list[Issue] = []
    seen = {rr.row.key for rr in layout.rows}
    for table, name in (("t2", "table 2 (section 二)"), ("t3", "table 3 (section 三)")):
        if table in skip:
            out.append(Issue("template_2019", f"{name} follows the 2019 template; its cells are not mapped "
                             "to the 2021 template"))
            continue
        rows = [r for r in ROWS if r.table == table]
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
    cells, issues, template = decode_layout(layout)
    report.cells = cells
    report.issues = [i for i in report.issues if i.kind not in _OWN_KINDS] + issues
    report.meta["template"] = template
    return report


_OWN_KINDS = {"unfilled_cells", "inferred_cells", "missing_rows", "template_2019", "identity_violation",
              "low_confidence"}
