"""Scans (PNG/JPEG/TIFF, and PDF pages without a text layer) → lines, through RapidOCR's recogniser.

The page layout is found from the image itself (`scan_layout.py`), which is cheap and exact on printed reports, and
the OCR model only reads the pieces (its text detector costs seconds a page on a CPU and splits table rows into loose
boxes):
1. the paper flattened (a scan's grey, unevenly lit background divided out), the page deskewed (±2°);
2. ruled tables: long thin horizontal and vertical strokes; every band between two horizontal rules is a table row,
   the vertical rules crossing it split it into cells (so merged cells and empty cells come out as in a text
   export: an empty cell is an empty field); a cell a row-group label spans is read once; where the print faded
   a stretch of rules, the table's other rows say where its columns are (a faint stroke there is a rule; a cell
   with blank paper there is read by column too, and kept so where the columns read as values);
3. everything else: text lines from the ink profile, split into fields at wide blank gaps; a run of multi-field
   lines (an unruled table, or a row whose rules the scan lost) takes its columns from its widest line (`columns.py`);
4. each cell / line piece is sharpened and read by the recogniser; a table cell that reads as no number is read
   again, larger; a line's `ocr_confidence` is its lowest piece score.
The models are those inside the rapidocr wheel (nothing is downloaded).
"""
from __future__ import annotations

import io
import os
import re
import threading
from dataclasses import dataclass, field

from ..errors import MissingDependencyError, OcrError
from ..model import Report
from .columns import Field, PlacedLine, align_lines
from .lines import RawLine, report_from_lines
from .scan_layout import (FAINT_INK, RULE_INK, TEXT_INK, deskew, find_rules, flatten, grid_boxes, line_pieces,
                          row_grid, span_rows, split_fields, table_rows)

_ENGINE = None
_LOCK = threading.Lock()


@dataclass
class _Piece:
    top: int
    bottom: int
    fields: int = 1  # table cells in the row, or fields of a text line
    table: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)  # a text line's fields, x from … to


def _deps():
    try:
        import cv2
        import numpy as np
        from rapidocr import RapidOCR
    except ImportError:
        raise MissingDependencyError("reading scans needs rapidocr and onnxruntime: "
                                     "pip install 'gazette-nlp[ocr]'") from None
    return cv2, np, RapidOCR


def engine():
    """The RapidOCR engine, loaded once per process, on the models shipped in the wheel."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            _, _, RapidOCR = _deps()
            import rapidocr

            models = os.path.join(os.path.dirname(rapidocr.__file__), "models")
            threads = int(os.environ.get("GAZETTE_OCR_THREADS", "0")) or min(4, os.cpu_count() or 1)
            params = {
                "Global.log_level": "error",
                "Global.use_cls": False,  # report pages are upright; deskew handles the small tilt
                "Det.model_path": os.path.join(models, "PP-OCRv6_det_small.onnx"),
                "Rec.model_path": os.path.join(models, "PP-OCRv6_rec_small.onnx"),
                "Cls.model_path": os.path.join(models, "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
                # the recogniser pads every piece to at least this width: 320 (its default) makes a lone digit
                # cost as much as a line of text; 64 halves the time of a table page and reads the same
                "Rec.rec_img_shape": [3, 48, 64],
                "Rec.rec_batch_num": 6,  # measured: 4–6 best; 16 +15 % CPU, 48 ×3 (padding to the batch's widest)
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
            try:
                _ENGINE = RapidOCR(params=params)
            except Exception as e:
                raise OcrError(f"the OCR engine cannot start ({type(e).__name__}: {e})") from None
    return _ENGINE


def _sharpen(crop):
    """Unsharp mask: a scan's blur and JPEG leave a small `0` as two grey bars (read `II`); restoring its edges lets
    the recogniser see the arcs. Harmless on a clean render."""
    cv2, np, _ = _deps()
    f = crop.astype(np.float32)
    return np.clip(2.0 * f - cv2.GaussianBlur(f, (0, 0), 1.5), 0, 255).astype(np.uint8)


def _recognise(crops: list) -> list[tuple[str, float]]:
    if not crops:
        return []
    cv2, np, _ = _deps()
    rgb = [cv2.cvtColor(_sharpen(c), cv2.COLOR_GRAY2BGR) for c in crops]
    res = engine().recognize_txt(rgb)
    return [(t, float(s)) for t, s in zip(res.txts, res.scores)]


def _crop(img, t: int, b: int, l: int, r: int):
    """The piece on a white margin: the recogniser misreads glyphs cut tight (a lone `3` read as `33`)."""
    _, np, _ = _deps()
    h = b - t
    ph, pw = max(4, h // 3), max(8, h)
    out = np.full((h + 2 * ph, r - l + 2 * pw), 255, np.uint8)
    out[ph:ph + h, pw:pw + r - l] = img[t:b, l:r]
    return out


_DIGITS = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
_ZERO_LIKE = set("日口回囗DOo〇")  # what a scan's small 0 is read as, alone in a cell


def _reread_digits(crops: list, results: list[tuple[str, float]], cells: list[int]) -> list[tuple[str, float]]:
    """A table cell a glyph or two wide that did not read as a number is read again, larger and unsharpened: the
    recogniser knows Chinese too, and a blurred small `0` or `7` comes back as 回 or 了. The best numeric reading
    wins; a lone zero-like glyph with none becomes the letter O, which the number reader takes for 0 and marks
    as an OCR fix (so its cell is never confident)."""
    cv2, np, _ = _deps()
    todo = [i for i in cells if not _DIGITS.match(results[i][0])
            and len(results[i][0]) <= 3 and crops[i].shape[1] <= 4 * crops[i].shape[0]]
    if not todo:
        return results
    variants = []
    for i in todo:
        c = crops[i]
        variants += [c, cv2.resize(c, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)]
    rgb = [cv2.cvtColor(v, cv2.COLOR_GRAY2BGR) for v in variants]
    res = engine().recognize_txt(rgb)
    again = [(t, float(s)) for t, s in zip(res.txts, res.scores)]
    out = list(results)
    for k, i in enumerate(todo):
        numeric = [r for r in again[2 * k:2 * k + 2] if _DIGITS.match(r[0])]
        if numeric:
            t, sc = max(numeric, key=lambda r: r[1])
            out[i] = (t, min(sc, 0.85))  # a second reading: never as sure as a first clean one
        elif len(results[i][0]) == 1 and results[i][0] in _ZERO_LIKE:
            out[i] = ("O", min(results[i][1], 0.7))
    return out


def _values_split(texts: list[str]) -> bool:
    """Whether a cell split at its wide gaps is cells whose rules the scan lost: every piece a number, or a label
    (it holds a Chinese character) followed by numbers only (the rule after a row's label faded too). A label cut
    at a faded glyph (`7.1` | `于行政执法案卷`) is neither."""
    head = texts[0]
    first_ok = bool(_DIGITS.match(head)) or any("\u4e00" <= c <= "\u9fff" for c in head)
    return first_ok and all(_DIGITS.match(t) for t in texts[1:])


def _balance(text: str) -> str:
    """A closing bracket wrapped alone onto a cell's last line is read as `1` (or l, |): when the text has an
    unclosed bracket and ends in such a stroke right after a Chinese character, it is that bracket."""
    opened = text.count("(") + text.count("（") - text.count(")") - text.count("）")
    if opened > 0 and len(text) > 1 and text[-1] in "1lI|" and "\u4e00" <= text[-2] <= "\u9fff":
        return text[:-1] + ")"
    return text


def _strip(img, parts: list[tuple[int, int, int, int]]):
    """A cell's wrapped lines set side by side into one line, read at once: a line holding only `）` is
    misread on its own (as `1`), and one read per cell is cheaper than one per line."""
    _, np, _ = _deps()
    if len(parts) == 1:
        return _crop(img, *parts[0])
    h = max(b - t for t, b, _, _ in parts)
    gap = max(2, h // 4)
    width = sum(r - l for _, _, l, r in parts) + gap * (len(parts) - 1)
    line = np.full((h, width), 255, np.uint8)
    x = 0
    for t, b, l, r in parts:
        dy = (h - (b - t)) // 2
        line[dy:dy + b - t, x:x + r - l] = img[t:b, l:r]
        x += r - l + gap
    return _crop(line, 0, h, 0, width)


def ocr_image(image, page: int | None = None) -> list[RawLine]:
    """OCR one page image (PIL image or grey numpy array) into lines in reading order."""
    cv2, np, _ = _deps()
    gray = np.asarray(image.convert("L")) if hasattr(image, "convert") else np.asarray(image)
    gray = deskew(flatten(np.ascontiguousarray(gray, dtype=np.uint8)))
    ink = (cv2.medianBlur(gray, 3) < RULE_INK).astype(np.uint8) * 255  # specks and sensor noise off
    horiz, vert = find_rules(ink)
    rows, covered, erase = table_rows(gray, ink, horiz, vert)
    clean = gray.copy()
    clean[erase] = 255  # rules off, so that they are not read as characters
    # where the text is: a scan's thin strokes (the arcs of a small `0`) are lighter than TEXT_INK; a mask at TEXT_INK alone
    # would crop them off and leave `II` to read
    smooth = cv2.medianBlur(clean, 3)
    mask, light = smooth < TEXT_INK, smooth < FAINT_INK

    crops, where = [], []  # where: (index in pieces, field index, cell / part / whole) of each crop
    pieces: list[_Piece] = []
    taken: set[tuple[int, int]] = set()  # (row, cell) read already, as the lower part of a cell spanning rows
    for ri, (y0, y1, cells) in enumerate(rows):
        pieces.append(_Piece(y0, y1, len(cells), table=True))
        for ci, (x0, x1) in enumerate(cells):
            if (ri, ci) in taken:
                continue
            bottom = span_rows(rows, ri, ci, ink, taken)
            parts = line_pieces(mask, y0 + 3, bottom - 2, x0 + 3, x1 - 2, light)
            boxes = grid_boxes(mask, y0 + 3, bottom - 2, x0 + 3, x1 - 2, row_grid(rows, ri)) \
                if parts and len(cells) >= 3 else []
            cut = [ps for ps in (line_pieces(mask, y0 + 3, bottom - 2, a, e, light) for a, e in boxes) if ps]
            split = split_fields(mask, *parts[0]) if len(parts) == 1 and len(cells) >= 3 else []
            if len(cut) > 1:
                # a cell holding what the table's other rows keep in several columns (their rules faded away
                # here): read whole and by column, the columns kept only if they read as values
                crops.append(_strip(clean, parts))
                where.append((len(pieces) - 1, ci, "whole"))
                for ps in cut:
                    crops.append(_strip(clean, ps))
                    where.append((len(pieces) - 1, ci, "part"))
            elif len(split) > 1:
                # two values in one cell with a wide gap between them (a rule lost to the scan), or a label with
                # a faded glyph: both readings are made, the pieces kept only if every one is a number
                t, b, _, _ = parts[0]
                crops.append(_crop(clean, *parts[0]))
                where.append((len(pieces) - 1, ci, "whole"))
                for a, e in split:
                    crops.append(_crop(clean, t, b, a, e))
                    where.append((len(pieces) - 1, ci, "part"))
            elif parts:
                crops.append(_strip(clean, parts))
                where.append((len(pieces) - 1, ci, "cell"))
    # text outside the tables: lines from the ink profile, fields split at wide gaps
    text, faint = mask.copy(), light.copy()
    text[covered] = faint[covered] = False
    # a long rule that bounds no table row found (faded at its ends, a table's lost top rule) is no text: in the
    # faint mask it would join the heading above it to the row below
    faint[horiz > 0] = False
    H, W = text.shape
    for t, b, l, r in line_pieces(text, 0, H, 0, W, faint):
        fields = split_fields(text, t, b, l, r)
        pieces.append(_Piece(t, b, len(fields), spans=fields))
        for fi, (a, e) in enumerate(fields):
            crops.append(_crop(clean, t, b, a, e))
            where.append((len(pieces) - 1, fi, "cell"))
    results = _recognise(crops)
    whole = {(pi, fi): i for i, (pi, fi, kind) in enumerate(where) if kind == "whole"}
    parts: dict[tuple[int, int], list[int]] = {}
    for i, (pi, fi, kind) in enumerate(where):
        if kind == "part":
            parts.setdefault((pi, fi), []).append(i)
    unused = set()  # of a split cell, either its pieces (if they read as values) or its whole reading
    for key, w in whole.items():
        pieces_read = parts[key]
        unused |= {w} if _values_split([results[i][0] for i in pieces_read]) else set(pieces_read)
    # the cells of a row of three fields or more, ruled or not (a row whose rules the scan lost is read as a line)
    numeric = [i for i, (pi, _, _) in enumerate(where) if i not in unused and pieces[pi].fields >= 3]
    results = _reread_digits(crops, results, numeric)
    read: dict[int, dict[int, list[tuple[str, float]]]] = {}
    for i, ((pi, fi, _), res) in enumerate(zip(where, results)):
        if i not in unused:
            read.setdefault(pi, {}).setdefault(fi, []).append(res)
    lines: list[tuple[_Piece, str, float | None]] = []
    placed = []
    for pi, p in enumerate(pieces):
        got = read.get(pi, {})
        scores = [s for parts in got.values() for _, s in parts]
        score = round(min(scores), 4) if scores else None
        if p.table:
            # a cell is one crop (its lines side by side), or several where a wide gap split it (a lost rule)
            texts = [_balance("\t".join(t for t, _ in got.get(i, []))) for i in range(p.fields)]
            lines.append((p, "\t".join(texts), score))
        elif got:
            fields = [Field(a, e, "".join(t for t, _ in got[i])) for i, (a, e) in enumerate(p.spans) if i in got]
            placed.append((p, PlacedLine(p.top, p.bottom, fields), score))
    # unruled tables: a run of multi-field lines gets the columns of its widest line (see columns.py)
    placed.sort(key=lambda x: x[1].top)
    aligned = align_lines([pl for _, pl, _ in placed], [r[0] for r in rows], 0.9)
    lines += [(p, text, score) for (p, _, score), (_, _, text) in zip(placed, aligned)]
    out: list[RawLine] = []
    prev: _Piece | None = None
    for p, text, score in sorted(lines, key=lambda x: x[0].top):
        if prev is not None and not (prev.table and p.table) and p.top - prev.bottom > 0.9 * (p.bottom - p.top):
            out.append(RawLine("", page))
        out.append(RawLine(text, page, score))
        prev = p
    return out


def render_pdf_page(data: bytes, page_no: int, dpi: int = 200):
    """A PDF page (1-based) as a PIL image, through pypdfium2 (installed with pdfplumber)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return doc[page_no - 1].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()


def read_image(data: bytes, source: str = "<image>") -> Report:
    """OCR a PNG/JPEG/TIFF (every frame of a multi-page TIFF is a page)."""
    _deps()
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        frames = [f.copy() for f in ImageSequence.Iterator(img)]
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise OcrError(f"the image cannot be decoded ({type(e).__name__})") from None
    lines: list[RawLine] = []
    for i, frame in enumerate(frames, 1):
        lines += ocr_image(frame, i)
        lines.append(RawLine("", i))
    report = report_from_lines(lines, source, "image-ocr")
    report.meta["ocr_pages"] = list(range(1, len(frames) + 1))
    return report
