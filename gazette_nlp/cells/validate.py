"""Identity checks and per-cell confidence.

Every identity of `template.IDENTITIES` is checked on the decoded cells; one with a missing or null cell is
unchecked, not violated. A cell's confidence starts from how it was read (set by the decoder: clean read,
OCR-fixed, glued to its label, inferred, an ambiguous blank), is capped by the OCR recogniser's confidence of
its line when the text was OCR'd, and moves with the identities it takes part in: each satisfied identity makes
it more certain, each violated one much less.
"""
from __future__ import annotations

from .. import template as T
from ..model import Cell, Issue, Report

SATISFIED_BONUS, VIOLATED_PENALTY, LOW = 0.02, 0.3, 0.9
# a value cut out of a digit run that OCR printed without its separators: the recogniser may have dropped or
# merged a digit at the cut (a faded rule between `1` and `11`), so unless an identity vouches for the split,
# the cell is not confident
OCR_CUT_CAP = 0.85
_READ_CONF = "_read_confidence"  # the decoder's confidence, kept on the cell so validation can be re-run


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def with_merged_row(cells: dict[str, Cell], report: Report) -> dict[str, Cell]:
    """The cells plus the pseudo cells of a merged '（六）其他处理' row (2019 form of table 3), for the identities."""
    merged = report.meta.get("forms", {}).get("t3_other_merged")
    if not merged:
        return cells
    out = dict(cells)
    for col, value in merged.items():
        cid = T.t3(T.MERGED_OTHER_ROW, col)
        out[cid] = Cell(cid, value)
    return out


def check_identities(cells: dict[str, Cell]) -> tuple[list[T.Identity], list[T.Identity]]:
    """(satisfied, violated) identities; unchecked ones are in neither. With the pseudo cells of a merged
    '（六）其他处理' row among `cells`, the identities that need the sum of its sub-rows use it."""
    ok, bad = [], []
    for ident in T.IDENTITIES + T.MERGED_OTHER_IDENTITIES:
        vals = [cells[c].value if c in cells else None for c in ident.cells]
        if any(v is None for v in vals):
            continue
        lhs = sum(cells[c].value for c in ident.lhs)  # type: ignore[misc]
        rhs = sum(cells[c].value for c in ident.rhs)  # type: ignore[misc]
        (ok if abs(lhs - rhs) < 1e-6 else bad).append(ident)
    return ok, bad


def _message(ident: T.Identity, cells: dict[str, Cell]) -> str:
    def side(ids):
        nums = [_fmt(cells[c].value) for c in ids]
        total = sum(cells[c].value for c in ids)  # type: ignore[misc]
        return (" + ".join(nums) + f" = {_fmt(total)}") if len(ids) > 1 else _fmt(total)

    return (f"{ident.description} does not hold: {' + '.join(c.split('.', 1)[1] for c in ident.lhs)} is "
            f"{side(ident.lhs)}, but {' + '.join(c.split('.', 1)[1] for c in ident.rhs[:3])}"
            f"{' + …' if len(ident.rhs) > 3 else ''} is {side(ident.rhs)}")


def _ocr_confidence(report: Report, cell: Cell) -> float | None:
    if cell.line is None or not 1 <= cell.line <= len(report.lines):
        return None
    return report.line(cell.line).ocr_confidence


def _cut_from_run(cell: Cell) -> bool:
    """The printed run holds more digits than the value: the value is one piece of a split run."""
    if cell.raw is None or cell.value is None:
        return False
    printed = "".join(ch for ch in cell.raw if ch.isdigit())
    return len(printed) > len("".join(ch for ch in _fmt(cell.value) if ch.isdigit()))


def validate_cells(report: Report) -> Report:
    report.issues = [i for i in report.issues if i.kind not in ("identity_violation", "low_confidence")]
    cells = with_merged_row(report.cells, report)
    ok, bad = check_identities(cells)
    for ident in bad:
        lines = sorted({cells[c].line for c in ident.cells if cells[c].line})
        report.issues.append(Issue("identity_violation", _message(ident, cells),
                                   [c for c in ident.cells if c in T.CELL_BY_ID], lines,
                                   identity=ident.name))
    n_ok: dict[str, int] = {}
    n_bad: dict[str, int] = {}
    for group, counter in ((ok, n_ok), (bad, n_bad)):
        for ident in group:
            for c in ident.cells:
                counter[c] = counter.get(c, 0) + 1
    low: dict[tuple[str, str], list[str]] = {}
    for cid, cell in report.cells.items():
        base = getattr(cell, _READ_CONF, None)
        if base is None:
            base = cell.confidence
            setattr(cell, _READ_CONF, base)
        ocr = _ocr_confidence(report, cell)
        if ocr is not None:
            base = min(base, ocr)
        conf = base + SATISFIED_BONUS * n_ok.get(cid, 0) - VIOLATED_PENALTY * n_bad.get(cid, 0)
        if ocr is not None and ocr < LOW:
            conf = min(conf, ocr)  # identities cannot vouch for a digit the recogniser doubted
        cut = ocr is not None and not n_ok.get(cid) and _cut_from_run(cell)
        if cut:
            conf = min(conf, OCR_CUT_CAP)
        cell.confidence = round(min(0.999, max(0.01, conf)), 4)
        if cell.confidence < LOW:
            why = ("in a violated identity" if n_bad.get(cid) else "inferred from the identities"
                   if cell.origin == "inferred" else "read by OCR with low confidence"
                   if ocr is not None and ocr < LOW else "cut by OCR from a run of digits printed without separators"
                   if cut else "an uncertain reading")
            low.setdefault((T.CELL_BY_ID[cid].table, why), []).append(cid)
    for (table, why), ids in low.items():
        lines = sorted({report.cells[c].line for c in ids if report.cells[c].line})
        report.issues.append(Issue("low_confidence", f"{len(ids)} cell(s) of {table} below {LOW}: {why}", ids,
                                   lines))
    return report
