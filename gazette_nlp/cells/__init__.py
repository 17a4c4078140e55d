"""Cell tagging: table lines → the 200 template cells, with issues.

`align_cells` = `decode_cells` (locate rows, assign columns under the identities) + `validate_cells`
(identity checks, confidence). `align_cells_baseline` is the naive reading-order aligner for comparison.
"""
from __future__ import annotations

from ..model import Report
from .baseline import align_cells_baseline
from .decode import decode_cells
from .numbers import read_number
from .validate import validate_cells


def align_cells(report: Report) -> Report:
    """Pipeline stage: fill `report.cells`, `report.issues` (cells) and `report.meta['template']`."""
    return validate_cells(decode_cells(report))


__all__ = ["align_cells", "align_cells_baseline", "read_number", "validate_cells"]
