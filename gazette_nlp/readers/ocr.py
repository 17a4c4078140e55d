"""Scans (PNG/JPEG/TIFF, and PDF pages without a text layer) → lines, through RapidOCR's recogniser.

The page layout is found from the image itself, which is cheap and exact on printed reports, and the OCR model
only reads the pieces (its text detector costs seconds a page on a CPU and splits table rows into loose boxes):
1. deskew: the angle (±2°) that makes the rows of ink sharpest;
2. ruled tables: long horizontal and vertical strokes (morphological opening); every band between two
   horizontal rules is a table row, the vertical rules crossing it split it into cells (so merged cells and
   empty cells come out as in a text export: an empty cell is an empty field);
3. everything else: text lines from the horizontal ink profile, split into fields at wide blank gaps; a run of
   multi-field lines (an unruled table) takes its columns from its widest line's x-ranges (`columns.py`);
4. each cell / line piece is read by the recogniser; a line's `ocr_confidence` is its lowest piece score.
The models are those inside the rapidocr wheel (nothing is downloaded).
"""
from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass, field

from ..errors import MissingDependencyError, OcrError
from ..model import Report
from .columns import Field, PlacedLine, align_lines
from .lines import RawLine, report_from_lines

INK = 150  # grey level below which a pixel is ink
MIN_INK = 12  # dark pixels a cell needs to hold text (specks of noise are fewer)
FIELD_GAP = 2.0  # blank gap, in line heights, that separates two fields of an unruled line
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


def _recognise(crops: list) -> list[tuple[str, float]]:
    if not crops:
        return []
    cv2, np, _ = _deps()
    rgb = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops]
    res = engine().recognize_txt(rgb)
    return [(t, float(s)) for t, s in zip(res.txts, res.scores)]


def _deskew(gray):
    cv2, np, _ = _deps()
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    ink = (small < INK + 40).astype(np.float32)
    h, w = ink.shape
    best, best_angle = -1.0, 0.0
    for angle in np.arange(-2.0, 2.01, 0.1):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
        rot = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        score = float(np.var(rot.sum(axis=1)))
        if score > best:
            best, best_angle = score, float(angle)
    if abs(best_angle) < 0.05:
        return gray
    H, W = gray.shape
    m = cv2.getRotationMatrix2D((W / 2, H / 2), best_angle, 1.0)
    return cv2.warpAffine(gray, m, (W, H), flags=cv2.INTER_LINEAR, borderValue=255)


def _runs(mask_1d, min_len: int = 1) -> list[tuple[int, int]]:
    """[start, end) of the runs of True in a 1-D boolean array."""
    import numpy as np

    padded = np.concatenate([[False], mask_1d, [False]])
    d = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(d[0::2], d[1::2]) if b - a >= min_len]


def _merge(runs: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Runs closer than `gap` joined (a glyph's thin stroke can leave one blank row inside it)."""
    out: list[tuple[int, int]] = []
    for a, b in runs:
        if out and a - out[-1][1] <= gap:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _rules(binary):
    cv2, np, _ = _deps()
    H, W = binary.shape
    horiz = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, W // 25), 1)))
    vert = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 15)))
    return horiz, vert


def _line_pieces(img, top: int, bottom: int, x0: int, x1: int) -> list[tuple[int, int, int, int]]:
    """The text lines inside a box, from its horizontal ink profile: [(top, bottom, left, right)]."""
    _, np, _ = _deps()
    box = img[top:bottom, x0:x1] < INK
    rows = _merge(_runs(box.sum(axis=1) > 0), 2)
    rows = [(a, b) for a, b in rows if b - a >= 4]  # thinner: a speck or a rule's remnant
    out = []
    for a, b in rows:
        cols = np.flatnonzero(box[a:b].sum(axis=0) > 0)
        if len(cols) and box[a:b].sum() >= MIN_INK:
            out.append((top + a, top + b, x0 + int(cols[0]), x0 + int(cols[-1]) + 1))
    return out


def _crop(img, t: int, b: int, l: int, r: int):
    """The piece on a white margin: the recogniser misreads glyphs cut tight (a lone `3` read as `33`)."""
    _, np, _ = _deps()
    h = b - t
    ph, pw = max(4, h // 3), max(8, h)
    out = np.full((h + 2 * ph, r - l + 2 * pw), 255, np.uint8)
    out[ph:ph + h, pw:pw + r - l] = img[t:b, l:r]
    return out


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


def _table_rows(img, horiz, vert):
    """Ruled table rows [(top, bottom, [(x0, x1) of each cell])], the rows they cover, the rule pixels."""
    cv2, np, _ = _deps()
    H, W = img.shape
    ys = [(a + b) // 2 for a, b in _runs((horiz > 0).sum(axis=1) > max(40, W // 20))]
    rows = []
    covered = np.zeros((H,), bool)
    erase = horiz > 0
    for y0, y1 in zip(ys, ys[1:]):
        if y1 - y0 < 8:
            continue
        band = vert[y0 + 3:y1 - 2] > 0
        rules = _runs(band.sum(axis=0) >= 0.8 * band.shape[0])
        xs = [(a + b) // 2 for a, b in rules]
        if len(xs) < 2:
            continue  # two rules with no verticals between them: not a table row (e.g. an underline)
        rows.append((y0, y1, list(zip(xs, xs[1:]))))
        covered[max(0, y0 - 5):y1 + 6] = True  # the rules' own thickness and tilt: no text line made of them
        for a, b in rules:  # erase only the rules found: a character's own strokes (十) must stay
            erase[y0:y1 + 1, max(0, a - 1):b + 1] = True
    return rows, covered, erase


def ocr_image(image, page: int | None = None) -> list[RawLine]:
    """OCR one page image (PIL image or grey numpy array) into lines in reading order."""
    cv2, np, _ = _deps()
    gray = np.asarray(image.convert("L")) if hasattr(image, "convert") else np.asarray(image)
    gray = _deskew(np.ascontiguousarray(gray, dtype=np.uint8))
    binary = (gray < INK).astype(np.uint8) * 255
    horiz, vert = _rules(binary)
    rows, covered, erase = _table_rows(gray, horiz, vert)
    clean = gray.copy()
    clean[erase] = 255  # rules off, so that they are not read as characters

    crops, where = [], []  # where: (index in pieces, field index) of each crop
    pieces: list[_Piece] = []
    for ri, (y0, y1, cells) in enumerate(rows):
        pieces.append(_Piece(y0, y1, len(cells), table=True))
        for ci, (x0, x1) in enumerate(cells):
            parts = _line_pieces(clean, y0 + 3, y1 - 2, x0 + 3, x1 - 2)
            if parts:
                crops.append(_strip(clean, parts))
                where.append((len(pieces) - 1, ci))
    # text outside the tables: lines from the ink profile, fields split at wide gaps
    text = clean.copy()
    text[covered] = 255
    H, W = text.shape
    for t, b, l, r in _line_pieces(text, 0, H, 0, W):
        cols = (text[t:b, l:r] < INK).sum(axis=0) > 0
        gaps = [(a, e) for a, e in _runs(~cols) if e - a > FIELD_GAP * (b - t)]
        edges = [0] + [x for g in gaps for x in g] + [r - l]
        fields = [(l + a, l + e) for a, e in zip(edges[0::2], edges[1::2]) if e > a]
        pieces.append(_Piece(t, b, len(fields), spans=fields))
        for fi, (a, e) in enumerate(fields):
            crops.append(_crop(clean, t, b, a, e))
            where.append((len(pieces) - 1, fi))
    results = _recognise(crops)
    read: dict[int, dict[int, list[tuple[str, float]]]] = {}
    for (pi, fi), res in zip(where, results):
        read.setdefault(pi, {}).setdefault(fi, []).append(res)
    lines: list[tuple[_Piece, str, float | None]] = []
    placed = []
    for pi, p in enumerate(pieces):
        got = read.get(pi, {})
        scores = [s for parts in got.values() for _, s in parts]
        score = round(min(scores), 4) if scores else None
        if p.table:
            texts = [_balance("".join(t for t, _ in got.get(i, []))) for i in range(p.fields)]
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
