"""A plain rule-based aligner, kept for comparison figures: every number printed in sections 二…四, in
reading order, fills the next template cell. No labels, no blanks, no identities."""
from __future__ import annotations

from .. import template as T
from ..model import Cell, Report
from .numbers import tokenize_line
from .stream import is_prose, table_zone


def align_cells_baseline(report: Report) -> Report:
    lo, hi = table_zone(report)
    nums = [t for ln in report.lines[lo - 1:hi] if not ln.blank and not is_prose(ln)
            for t in tokenize_line(ln) if t.kind == "num"]
    report.cells = {cid: Cell(cid, t.value, line=t.line, raw=t.raw, confidence=0.5)
                    for cid, t in zip(T.CELL_IDS, nums)}
    report.meta["template"] = "2021" if nums else "unknown"
    return report
