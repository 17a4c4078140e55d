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
import re
import threading
from dataclasses import dataclass, field

from ..errors import MissingDependencyError, OcrError
from ..model import Report
from .columns import Field, PlacedLine, align_lines
from .lines import RawLine, report_from_lines

INK = 150  # grey level below which a pixel is ink
TEXT_INK = 190  # on the flattened, smoothed page: a glyph's body, a light font's digits included
FAINT_INK = 210  # and its faint parts: the blurred diagonal of a small `7`, the arcs of a `0`
RULE_INK = 215  # on the flattened page: a scan's thin rules, blurred or faded, are lighter than its text
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


def _flatten(gray):
    """The page on white paper: a scan's grey, unevenly lit paper divided out (its background estimated as the page
    with the ink dilated away, at a quarter of the size). Not smoothed: a 3×3 median wipes the thin strokes of a
    small `0` (read as `II` then); the layout masks smooth their own copy."""
    cv2, np, _ = _deps()
    H, W = gray.shape
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    bg = cv2.medianBlur(cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))), 9)
    bg = cv2.resize(bg, (W, H), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return np.clip(gray.astype(np.float32) / np.maximum(bg, 1.0) * 255.0, 0, 255).astype(np.uint8)


def _rules(binary):
    """Long thin horizontal and vertical strokes (morphological opening). A horizontal rule must have paper a few
    pixels above and below it: at the light threshold a scan needs for its faint rules, the halos of a line of text
    join into long runs too, but those have the rest of their glyphs above or below."""
    cv2, np, _ = _deps()
    H, W = binary.shape
    k = 4
    thin = binary.copy()
    thin[k:] &= ~binary[:-k]
    thin[:-k] &= ~binary[k:]
    thin = cv2.dilate(thin, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * k + 1, 1)))  # across the junctions
    horiz = cv2.morphologyEx(thin & binary, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, W // 25), 1)))
    vert = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 15)))
    return horiz, vert


def _join_fragments(rows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A band much shorter than its neighbour and close to it is a piece of the same glyphs (the top bar of a `7`
    over its faint stem), not a line of its own; two full lines stay apart however close (a cell's wrapped label)."""
    out: list[tuple[int, int]] = []
    for a, b in rows:
        if out:
            pa, pb = out[-1]
            tall, short = max(pb - pa, b - a), min(pb - pa, b - a)
            if short < 0.5 * tall and a - pb <= 0.5 * tall:
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def _line_pieces(mask, top: int, bottom: int, x0: int, x1: int, light=None) -> list[tuple[int, int, int, int]]:
    """The text lines inside a box, from its horizontal ink profile: [(top, bottom, left, right)].

    With a `light` mask (a scan's faint ink too) the lines are the rows where the light profile stands above a tenth
    of its peak, and only those holding dark ink count: the dark mask alone cuts a grey, thin-stroked label or a
    blurred `7` into slices, the light one alone joins the wrapped lines of a tight cell through their halos.
    A line reaches sideways over faint ink next to its dark ink, not to a speck further along."""
    _, np, _ = _deps()
    box = mask[top:bottom, x0:x1]
    if light is None:
        rows = _merge(_runs(box.sum(axis=1) > 0), 2)
    else:
        soft = light[top:bottom, x0:x1]
        profile = soft.sum(axis=1)
        rows = _join_fragments(_merge(_runs(profile > max(1.0, 0.1 * float(profile.max(initial=0)))), 1))
        grown = []  # the tenth of the peak finds where lines part; each line keeps all of its ink's height
        for i, (a, b) in enumerate(rows):
            lo = grown[-1][1] if grown else 0
            hi = rows[i + 1][0] if i + 1 < len(rows) else len(profile)
            while a > lo and profile[a - 1] > 0:
                a -= 1
            while b < hi and profile[b] > 0:
                b += 1
            grown.append((a, b))
        rows = grown
    rows = [(a, b) for a, b in rows if b - a >= 4]  # thinner: a speck or a rule's remnant
    out = []
    for a, b in rows:
        if box[a:b].sum() < MIN_INK:
            continue
        cols = np.flatnonzero(box[a:b].any(axis=0))
        left, right = int(cols[0]), int(cols[-1]) + 1
        if light is not None:
            faint = soft[a:b].any(axis=0)
            reach = (b - a) // 2
            while left > 0 and faint[left - 1] and reach > 0:
                left, reach = left - 1, reach - 1
            reach = (b - a) // 2
            while right < len(faint) and faint[right] and reach > 0:
                right, reach = right + 1, reach - 1
        out.append((top + a, top + b, x0 + left, x0 + right))
    return out


def _fields(mask, t: int, b: int, l: int, r: int) -> list[tuple[int, int]]:
    """A line's pieces split at blank gaps wider than FIELD_GAP line heights: [(left, right)]."""
    cols = mask[t:b, l:r].sum(axis=0) > 0
    gaps = [(a, e) for a, e in _runs(~cols) if e - a > FIELD_GAP * (b - t)]
    edges = [0] + [x for g in gaps for x in g] + [r - l]
    return [(l + a, l + e) for a, e in zip(edges[0::2], edges[1::2]) if e > a]


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


def _side_ink(inner, a: int, b: int) -> float:
    """How much ink lies beside the stroke [a, b) over the band (a glyph's stroke has the rest of its glyph beside
    it; a rule has paper, unless text touches it)."""
    W = inner.shape[1]
    left = inner[:, a - 3].mean() if a >= 3 else 0.0
    right = inner[:, b + 2].mean() if b + 2 < W else 0.0
    return float(max(left, right))


def _separators(vert, ink, y0: int, y1: int) -> list[tuple[int, int, float]]:
    """A band's clear vertical rules: runs of vertical stroke covering the band and meeting the rules above and below,
    with blank paper on both sides (the long stroke of a 十 in a tight row covers most of the band too, but it keeps
    clear of the rules, and other strokes cross it)."""
    band = vert[y0:y1 + 1] > 0
    cover = band.mean(axis=0)
    ends = band[:3].any(axis=0) & band[-3:].any(axis=0)
    inner = ink[y0 + 4:max(y0 + 5, y1 - 3)] > 0
    out = []
    for a, b in _runs(cover >= 0.8):
        side = _side_ink(inner, a, b)
        if ends[a:b].any() and side <= 0.2:
            out.append((a, b, side))
    return out


def _faint_rule(vert, ink, y0: int, y1: int, x: int) -> bool:
    """What is left at x of a rule the scan broke or faded: a third of the band or more, a stroke that meets the top
    or bottom rule (text keeps clear of them), paper on both sides (not the side of a `0` left in the cell)."""
    _, np, _ = _deps()
    lo, hi = max(0, x - 2), x + 3
    column = (vert[y0:y1 + 1, lo:hi] > 0).any(axis=1)
    inner = ink[y0 + 4:max(y0 + 5, y1 - 3)] > 0
    touches = column[:6].any() or column[-6:].any()
    return bool(column.mean() >= 0.3 and touches and _side_ink(inner, lo, hi - 1) <= 0.1)


def _table_rows(img, ink, horiz, vert):
    """Ruled table rows [(top, bottom, [(x0, x1) of each cell])], the rows they cover, the rule pixels.

    A scan's rules come faint, broken or blurred: a band takes a rule where its own stroke is clear, and also where
    the band above or below has a clear one at the same x and this band keeps some of its ink (a broken stretch);
    the table's outer border is where its horizontal rules end, whatever is left of the vertical one."""
    cv2, np, _ = _deps()
    H, W = img.shape
    ys = [(a + b) // 2 for a, b in _runs((horiz > 0).sum(axis=1) > max(40, W // 20))]
    bands = []
    for y0, y1 in zip(ys, ys[1:]):
        if y1 - y0 < 8:
            continue
        strong = _separators(vert, ink, y0, y1)
        ends = np.flatnonzero((horiz[max(0, y0 - 2):y0 + 3] > 0).any(axis=0))
        bands.append((y0, y1, strong, (int(ends[0]), int(ends[-1])) if len(ends) else None))
    rows = []
    covered = np.zeros((H,), bool)
    erase = np.zeros(horiz.shape, bool)
    for i, (y0, y1, strong, ends) in enumerate(bands):
        near = [bands[j] for j in (i - 1, i + 1) if 0 <= j < len(bands)
                and (bands[j][0] == y1 or bands[j][1] == y0)]
        near_xs = [(a + b) // 2 for _, _, other, _ in near for a, b, side in other if side <= 0.05]
        # in a tight row the 十 of a centred heading can meet both rules: a stroke with ink beside it is a rule only
        # where a clean rule goes on above or below (not where the 行 of the next left-aligned label stands too)
        xs = [(a + b) // 2 for a, b, side in strong
              if side <= 0.05 or any(abs((a + b) // 2 - k) <= 4 for k in near_xs)]
        for _, _, other, _ in near:
            for a, b, side in other:
                if side > 0.05:
                    continue
                x = (a + b) // 2
                if all(abs(x - k) > 4 for k in xs) and _faint_rule(vert, ink, y0, y1, x):
                    xs.append(x)
        if ends is not None and xs:  # a border faded away: where the rule ends (outside, never between, the rules
            lo, hi = min(xs), max(xs)     # found: a broken rule ends early)
            xs += [x for x in ends if x < lo - 6 or x > hi + 6]
        xs.sort()
        if len(xs) < 2:
            continue  # two rules with no verticals between them: not a table row (e.g. an underline)
        rows.append((y0, y1, list(zip(xs, xs[1:]))))
        covered[max(0, y0 - 5):y1 + 6] = True  # the rules' own thickness and tilt: no text line made of them
        for y in (y0, y1):  # the row's own rules, not every long stroke (the strokes of 二 in a heading)
            erase[max(0, y - 5):y + 6] |= horiz[max(0, y - 5):y + 6] > 0
        for x in xs:  # erase only the rules found: a character's own strokes (十) must stay
            erase[y0:y1 + 1, max(0, x - 3):x + 4] |= vert[y0:y1 + 1, max(0, x - 3):x + 4] > 0
    return rows, covered, erase


def _open_below(ink, y: int, x0: int, x1: int) -> bool:
    """No rule closes the cell [x0, x1) at y and a glyph runs across y: a row-group label such as （三）不予公开
    spanning several rows (cut at every row, it came back as slices of glyphs, read as `MAII`). A rule the scan
    faded away leaves no glyph across it: the values above and below it stay apart. The raw ink, not the rule
    mask: a rule passing close to a digit is not `thin` there and the rule mask has gaps."""
    if x1 - x0 < 16:
        return False
    near = ink[max(0, y - 4):y + 5, x0 + 6:x1 - 6] > 0
    return bool(near.any(axis=0).mean() < 0.5 and near.all(axis=0).any())


def _span_rows(rows, ri: int, ci: int, ink, taken: set[tuple[int, int]]) -> int:
    """The bottom of cell `ci` of row `ri`, taking in the cells of the rows below it spans (same left and right
    rules, no rule between); those are marked `taken`."""
    y0, bottom, cells = rows[ri]
    x0, x1 = cells[ci]
    rj = ri
    while rj + 1 < len(rows) and rows[rj + 1][0] == bottom and _open_below(ink, bottom, x0, x1):
        below = [k for k, (a, b) in enumerate(rows[rj + 1][2]) if abs(a - x0) <= 6 and abs(b - x1) <= 6]
        if not below:
            break
        rj += 1
        taken.add((rj, below[0]))
        bottom = rows[rj][1]
    return bottom


def ocr_image(image, page: int | None = None) -> list[RawLine]:
    """OCR one page image (PIL image or grey numpy array) into lines in reading order."""
    cv2, np, _ = _deps()
    gray = np.asarray(image.convert("L")) if hasattr(image, "convert") else np.asarray(image)
    gray = _deskew(_flatten(np.ascontiguousarray(gray, dtype=np.uint8)))
    ink = (cv2.medianBlur(gray, 3) < RULE_INK).astype(np.uint8) * 255  # specks and sensor noise off
    horiz, vert = _rules(ink)
    rows, covered, erase = _table_rows(gray, ink, horiz, vert)
    clean = gray.copy()
    clean[erase] = 255  # rules off, so that they are not read as characters
    # where the text is: a scan's thin strokes (the arcs of a small `0`) are lighter than INK; a mask at INK alone
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
            bottom = _span_rows(rows, ri, ci, ink, taken)
            parts = _line_pieces(mask, y0 + 3, bottom - 2, x0 + 3, x1 - 2, light)
            split = _fields(mask, *parts[0]) if len(parts) == 1 and len(cells) >= 3 else []
            if len(split) > 1:
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
    for t, b, l, r in _line_pieces(text, 0, H, 0, W, faint):
        fields = _fields(text, t, b, l, r)
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
    unused = set()  # of a split cell, either its pieces (if one is no number) or its whole reading
    for key, w in whole.items():
        pieces_read = parts[key]
        unused |= {w} if all(_DIGITS.match(results[i][0]) for i in pieces_read) else set(pieces_read)
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
