"""PDF input: the text layer through pdfplumber, scanned pages through OCR, into one line stream.

Per page, in reading order (top to bottom):
- ruled tables (pdfplumber's table finder) give one line per table row, one tab-separated field per cell;
  empty cells stay empty fields, cells covered by a merged cell are dropped (as a text export prints them);
- every other word is grouped into lines by vertical position; a horizontal gap wider than `TAB_GAP` font
  sizes becomes a tab (unruled tables), a narrower one a space;
- page furniture (running heads, page numbers) stays: the line classifier labels it `other`.
A page with no characters but an image is a scan and goes to OCR; a blank page gives nothing.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from ..errors import DamagedPdfError, EmptyInputError, EncryptedPdfError, MissingDependencyError
from ..model import Report
from .lines import RawLine, report_from_lines

TAB_GAP = 1.5  # gap between words, in font sizes, that separates two table fields
PARA_GAP = 0.9  # extra vertical space, in line heights, that ends a paragraph (a blank line, as text exports have)
OCR_DPI = 200
# pdfplumber's default 3 pt snapping merges the near-aligned column edges of rows split differently by merged
# cells (the template's tables 3 and 4); 1 pt still joins the strokes of one ruled grid
TABLE_SETTINGS = {"snap_tolerance": 1, "join_tolerance": 1, "intersection_tolerance": 1}


@dataclass
class _Item:
    top: float
    bottom: float
    text: str
    table: bool = False


def _pdfplumber():
    try:
        import pdfplumber
    except ImportError:
        raise MissingDependencyError("reading PDF needs pdfplumber: pip install 'gazette-nlp[pdf]'") from None
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # pdfminer warns on every odd font; not the user's concern
    return pdfplumber


def _join_cell(text: str | None) -> str:
    """A cell's wrapped lines joined back: no space between CJK characters, one elsewhere."""
    parts = [p.strip() for p in (text or "").split("\n") if p.strip()]
    out = ""
    for p in parts:
        if out and (out[-1].isascii() and out[-1].isalnum()) and (p[0].isascii() and p[0].isalnum()):
            out += " "
        out += p
    return out


def _table_items(page) -> tuple[list[_Item], list[tuple[float, float, float, float]]]:
    items, boxes = [], []
    for table in page.find_tables(TABLE_SETTINGS):
        boxes.append(table.bbox)
        for row, cells in zip(table.rows, table.extract()):
            fields = [_join_cell(c) for c in cells if c is not None]
            items.append(_Item(row.bbox[1], row.bbox[3], "\t".join(fields), table=True))
    return items, boxes


def _inside(word: dict, boxes) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= cx <= x1 and t <= cy <= b for x0, t, x1, b in boxes)


def _text_items(page, boxes) -> list[_Item]:
    words = [w for w in page.extract_words(x_tolerance=1.5, y_tolerance=2, extra_attrs=["size"])
             if not _inside(w, boxes)]
    words.sort(key=lambda w: (w["top"], w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        if rows:
            last = rows[-1]
            top, bottom = min(x["top"] for x in last), max(x["bottom"] for x in last)
            overlap = min(bottom, w["bottom"]) - max(top, w["top"])
            if overlap > 0.5 * min(bottom - top, w["bottom"] - w["top"]):
                last.append(w)
                continue
        rows.append([w])
    items = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        text = row[0]["text"]
        for prev, w in zip(row, row[1:]):
            gap = w["x0"] - prev["x1"]
            size = max(prev.get("size") or 10, 1)
            text += ("\t" if gap > TAB_GAP * size else " " if gap > 0.15 * size else "") + w["text"]
        items.append(_Item(min(w["top"] for w in row), max(w["bottom"] for w in row), text))
    return items


def _page_lines(page, page_no: int) -> list[RawLine]:
    table_items, boxes = _table_items(page)
    items = sorted(table_items + _text_items(page, boxes), key=lambda i: (i.top, i.bottom))
    out: list[RawLine] = []
    prev: _Item | None = None
    for it in items:
        if prev is not None and not (prev.table and it.table):
            height = max(prev.bottom - prev.top, it.bottom - it.top, 1.0)
            if it.top - prev.bottom > PARA_GAP * height:
                out.append(RawLine("", page_no))
        out.append(RawLine(it.text, page_no))
        prev = it
    return out


def read_pdf(data: bytes, source: str = "<pdf>") -> Report:
    """Read a PDF's text layer (OCR for pages without one). Raises named `InputError` subclasses."""
    pdfplumber = _pdfplumber()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as e:  # pdfminer raises many unrelated types; what they share is what the user needs
        if _is_encrypted(e):
            raise EncryptedPdfError("the PDF is encrypted with a password") from None
        raise DamagedPdfError(f"the PDF is damaged and cannot be read ({type(e).__name__})") from None
    with pdf:
        if not pages:
            raise EmptyInputError("the PDF has no pages")
        lines: list[RawLine] = []
        ocr_pages: list[int] = []
        for page in pages:
            try:
                has_text = bool(page.chars)
                has_image = bool(page.images)
            except Exception as e:
                raise DamagedPdfError(f"page {page.page_number} of the PDF is damaged ({type(e).__name__})") from None
            if has_text:
                lines += _page_lines(page, page.page_number)
            elif has_image:
                ocr_pages.append(page.page_number)
                lines += _ocr_page(data, page.page_number)
            if lines and lines[-1].text:
                lines.append(RawLine("", page.page_number))
    if not any(ln.text.strip() for ln in lines):
        raise EmptyInputError("the PDF holds no text and no scanned page")
    report = report_from_lines(lines, source, "pdf-ocr" if ocr_pages else "pdf-text")
    if ocr_pages:
        report.meta["ocr_pages"] = ocr_pages
    return report


def _is_encrypted(e: Exception) -> bool:
    names = {type(e).__name__, type(getattr(e, "__cause__", None) or e).__name__}
    cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else None
    if cause is not None:
        names.add(type(cause).__name__)
    return any("Password" in n or "Encrypt" in n for n in names)


def _ocr_page(data: bytes, page_no: int) -> list[RawLine]:
    from .ocr import ocr_image, render_pdf_page

    return ocr_image(render_pdf_page(data, page_no, OCR_DPI), page_no)
