"""What the PDF, HTML and OCR readers share: their lines become a `Report` exactly as a text file would.

Each reader yields `RawLine`s; `report_from_lines` joins them into one text (so `n` is still the 1-based index in
`text.splitlines()` and the same normalisation applies) and keeps each line's page and OCR confidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import EmptyInputError
from ..model import Report
from .text import report_from_text

# str.splitlines() breaks on these too; inside one extracted line they would shift every later line number
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass
class RawLine:
    text: str
    page: int | None = None
    ocr_confidence: float | None = None


def report_from_lines(lines: list[RawLine], source: str, input_kind: str) -> Report:
    """A `Report` whose lines are `lines` in order; raises `EmptyInputError` when none holds text."""
    clean = [RawLine(_LINE_BREAKS.sub(" ", ln.text), ln.page, ln.ocr_confidence) for ln in lines]
    if not any(ln.text.strip() for ln in clean):
        raise EmptyInputError(f"no text found in the {input_kind.split('-')[0].upper()} input")
    report = report_from_text("\n".join(ln.text for ln in clean), source=source)
    for line, raw in zip(report.lines, clean):
        line.page = raw.page
        line.ocr_confidence = raw.ocr_confidence
    report.meta["input"] = input_kind
    pages = {ln.page for ln in clean if ln.page is not None}
    if pages:
        report.meta["pages"] = max(pages)
    return report
