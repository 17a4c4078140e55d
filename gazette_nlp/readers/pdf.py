"""PDF input: the text layer (PDFium, pdfplumber for pages with curved rules), scanned pages through OCR.

Per page, in reading order (top to bottom):
- ruled tables give one line per table row, one tab-separated field per cell: a row is a band between two
  horizontal rules crossed by vertical rules, which split it into cells; empty cells stay empty fields, and a
  merged cell is one field (as a text export prints it);
- every other character is grouped into lines by baseline; a horizontal gap wider than `TAB_GAP` font sizes
  becomes a tab (unruled tables), a narrower one a space;
- page furniture (running heads, page numbers) stays: the line classifier labels it `other`.
A page with no characters but an image is a scan and goes to OCR; a blank page gives nothing.
"""
from __future__ import annotations

import io
import re
import logging
from dataclasses import dataclass

from ..errors import DamagedPdfError, EmptyInputError, EncryptedPdfError, MissingDependencyError
from ..model import Report
from .columns import Field, PlacedLine, align_lines
from .lines import RawLine, report_from_lines
from .pdf_layout import Char, PageLayout, page_layout, table_rows

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


def _pypdfium2():
    try:
        import pypdfium2
    except ImportError:
        raise MissingDependencyError("reading PDF needs pypdfium2: pip install 'gazette-nlp[pdf]'") from None
    return pypdfium2


def _join_cell(text: str | None) -> str:
    """A cell's wrapped lines joined back: no space between CJK characters, one elsewhere, none inside a number
    that a narrow cell wrapped ('317' / '0' is 3170: a ruled cell holds one value)."""
    parts = [p.strip() for p in (text or "").split("\n") if p.strip()]
    numeric = len(parts) > 1 and all(re.fullmatch(r"[\d.,]+", p) for p in parts)
    out = ""
    for p in parts:
        if out and not numeric and (out[-1].isascii() and out[-1].isalnum()) and (p[0].isascii() and p[0].isalnum()):
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


def _plumber_page_lines(data: bytes, page_no: int) -> list[RawLine]:
    pdfplumber = _pdfplumber()
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[page_no]) as pdf:
            page = pdf.pages[0]
            table_items, boxes = _table_items(page)
            return _ordered(table_items + _text_items(page, boxes), page_no)
    except Exception as e:  # pdfminer raises many unrelated types; what they share is what the user needs
        raise DamagedPdfError(f"page {page_no} of the PDF is damaged ({type(e).__name__})") from None


def _fields(chars: list[Char], tabs: bool = True) -> list[Field]:
    """A line's characters left to right, split into fields at gaps wider than `TAB_GAP` font sizes."""
    chars = sorted(chars, key=lambda c: c.x0)
    fields = [Field(chars[0].x0, chars[0].x1, chars[0].text)]
    for prev, c in zip(chars, chars[1:]):
        gap, size = c.x0 - prev.x1, max(prev.size, 1.0)
        if tabs and gap > TAB_GAP * size:
            fields.append(Field(c.x0, c.x1, c.text))
            continue
        f = fields[-1]
        f.text += (" " if gap > 0.15 * size else "") + c.text
        f.x1 = c.x1
    return fields


def _line_text(chars: list[Char], tabs: bool) -> str:
    return "\t".join(f.text for f in _fields(chars, tabs))


def _by_baseline(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines by baseline. The tolerance comes from the glyphs' own ink heights as well as
    the reported font size: real CJK fonts report sizes and boxes taller than the line pitch, and a tolerance
    from those merges two lines. A group whose characters overlap each other horizontally holds two lines
    whatever the metrics said, and is split at its widest baseline gap (text is never interleaved)."""
    inks = sorted(c.ink for c in chars if c.ink > 0)
    ink = inks[len(inks) // 2] if inks else 0.0
    lines: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: (c.baseline, c.x0)):
        tol = 0.3 * (min(c.size, 1.5 * ink) if ink else c.size)
        if lines and abs(c.baseline - lines[-1][-1].baseline) <= tol:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [part for ln in lines for part in _unmix(ln)]


def _unmix(line: list[Char]) -> list[list[Char]]:
    by_x = sorted(line, key=lambda c: c.x0)
    overlaps = any(min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0) > 0
                   for a, b in zip(by_x, by_x[1:]))
    if not overlaps or len(line) < 2:
        return [line]
    by_y = sorted(line, key=lambda c: c.baseline)
    gaps = [(b.baseline - a.baseline, i) for i, (a, b) in enumerate(zip(by_y, by_y[1:]), 1)]
    gap, at = max(gaps)
    if gap <= 0.5:
        return [line]  # the same baseline: overprinted characters (bold by double printing), one line
    return _unmix(by_y[:at]) + _unmix(by_y[at:])


def _pdfium_items(layout: PageLayout) -> list[_Item]:
    rows = table_rows(layout)
    cells: dict[tuple[int, int], list[Char]] = {}
    loose: list[Char] = []
    for c in layout.chars:
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        for ri, (top, bottom, spans) in enumerate(rows):
            if top <= cy <= bottom:
                ci = next((i for i, (x0, x1) in enumerate(spans) if x0 <= cx <= x1), None)
                if ci is not None:
                    cells.setdefault((ri, ci), []).append(c)
                    break
        else:
            loose.append(c)
    items = []
    for ri, (top, bottom, spans) in enumerate(rows):
        fields = ["\n".join(_line_text(ln, False) for ln in _by_baseline(cells.get((ri, ci), [])))
                  for ci in range(len(spans))]
        items.append(_Item(top, bottom, "\t".join(_join_cell(f) for f in fields), table=True))
    placed = [PlacedLine(min(c.top for c in ln), max(c.bottom for c in ln), _fields(ln)) for ln in _by_baseline(loose)]
    for top, bottom, text in align_lines(placed, [r[0] for r in rows], PARA_GAP):
        items.append(_Item(top, bottom, text))
    return items


def _ordered(items: list[_Item], page_no: int) -> list[RawLine]:
    out: list[RawLine] = []
    prev: _Item | None = None
    for it in sorted(items, key=lambda i: (i.top, i.bottom)):
        if prev is not None and not (prev.table and it.table):
            height = max(prev.bottom - prev.top, it.bottom - it.top, 1.0)
            if it.top - prev.bottom > PARA_GAP * height:
                out.append(RawLine("", page_no))
        out.append(RawLine(it.text, page_no))
        prev = it
    return out


def _open(data: bytes):
    pdfium = _pypdfium2()
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise EncryptedPdfError("the PDF is encrypted with a password") from None
        raise DamagedPdfError(f"the PDF is damaged and cannot be read ({str(e).rpartition('PDFium: ')[2].rstrip(').')})") from None
    except Exception as e:
        raise DamagedPdfError(f"the PDF is damaged and cannot be read ({type(e).__name__})") from None
    return doc


def read_pdf(data: bytes, source: str = "<pdf>") -> Report:
    """Read a PDF's text layer (OCR for pages without one). Raises named `InputError` subclasses."""
    _pdfplumber()  # the `pdf` extra: pdfplumber, with the pypdfium2 it brings
    doc = _open(data)
    try:
        if len(doc) == 0:
            raise EmptyInputError("the PDF has no pages")
        lines: list[RawLine] = []
        ocr_pages: list[int] = []
        for i in range(len(doc)):
            page_no = i + 1
            try:
                layout = page_layout(doc[i])
            except Exception as e:
                raise DamagedPdfError(f"page {page_no} of the PDF is damaged ({type(e).__name__})") from None
            if layout.chars and layout.curves:
                lines += _plumber_page_lines(data, page_no)  # curved rules: pdfplumber's table finder
            elif layout.chars:
                lines += _ordered(_pdfium_items(layout), page_no)
            elif layout.images:
                ocr_pages.append(page_no)
                lines += _ocr_page(data, page_no)
            if lines and lines[-1].text:
                lines.append(RawLine("", page_no))
    finally:
        doc.close()
    if not any(ln.text.strip() for ln in lines):
        raise EmptyInputError("the PDF holds no text and no scanned page")
    report = report_from_lines(lines, source, "pdf-ocr" if ocr_pages else "pdf-text")
    if ocr_pages:
        report.meta["ocr_pages"] = ocr_pages
    return report


def _ocr_page(data: bytes, page_no: int) -> list[RawLine]:
    from .ocr import ocr_image, render_pdf_page

    return ocr_image(render_pdf_page(data, page_no, OCR_DPI), page_no)
