"""The layout of a scanned page, found from the image itself (no model): the paper flattened, the page deskewed,
ruled table rows and their cells from the ruling lines (faint, broken or lost ones included), and the text lines
and fields of a box from its ink profile. `ocr.py` reads the pieces this finds.

A scan is not a render: grey, unevenly lit paper, blur, JPEG, faded toner and rules that come and go. Hence two ink
levels for text (a glyph's body; its faint strokes) and a lighter one for rules, all on the flattened page.
"""
from __future__ import annotations

INK = 150  # grey level below which a pixel is ink
TEXT_INK = 190  # on the flattened, smoothed page: a glyph's body, a light font's digits included
FAINT_INK = 210  # and its faint parts: the blurred diagonal of a small `7`, the arcs of a `0`
RULE_INK = 215  # on the flattened page: a scan's thin rules, blurred or faded, are lighter than its text
MIN_INK = 12  # dark pixels a cell needs to hold text (specks of noise are fewer)
FIELD_GAP = 2.0  # blank gap, in line heights, that separates two fields of an unruled line
MIN_CUT = 10  # blank pixels a cell needs at a column boundary to be cut there (wider than a gap between glyphs)
FADED_DEPTH = 12  # grey levels a faded rule stands below the paper beside it (noise, smoothed along it: ~4)


def _deps():
    from .ocr import _deps as deps  # cv2 and numpy come with the OCR extra; its check names what is missing

    return deps()


def deskew(gray):
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


def flatten(gray):
    """The page on white paper: a scan's grey, unevenly lit paper divided out (its background estimated as the page
    with the ink dilated away, at a quarter of the size). Not smoothed: a 3×3 median wipes the thin strokes of a
    small `0` (read as `II` then); the layout masks smooth their own copy."""
    cv2, np, _ = _deps()
    H, W = gray.shape
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    bg = cv2.medianBlur(cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))), 9)
    bg = cv2.resize(bg, (W, H), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return np.clip(gray.astype(np.float32) / np.maximum(bg, 1.0) * 255.0, 0, 255).astype(np.uint8)


def find_rules(binary):
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


def join_fragments(rows: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def line_pieces(mask, top: int, bottom: int, x0: int, x1: int, light=None) -> list[tuple[int, int, int, int]]:
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
        rows = join_fragments(_merge(_runs(profile > max(1.0, 0.1 * float(profile.max(initial=0)))), 1))
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


def split_fields(mask, t: int, b: int, l: int, r: int) -> list[tuple[int, int]]:
    """A line's pieces split at blank gaps wider than FIELD_GAP line heights: [(left, right)]."""
    cols = mask[t:b, l:r].sum(axis=0) > 0
    gaps = [(a, e) for a, e in _runs(~cols) if e - a > FIELD_GAP * (b - t)]
    edges = [0] + [x for g in gaps for x in g] + [r - l]
    return [(l + a, l + e) for a, e in zip(edges[0::2], edges[1::2]) if e > a]


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


def faded_strokes(img):
    """Thin vertical strokes darker than the paper beside them, however light (a rule the print faded to a grey a
    fixed ink level misses, or that a 3×3 median wipes when it is one pixel wide): the page smoothed along the
    stroke, less the lightest pixel within four on either side."""
    cv2, np, _ = _deps()
    g = cv2.blur(img, (1, 5))
    depth = cv2.dilate(g, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1))).astype(np.int16) - g
    mask = (depth >= FADED_DEPTH).astype(np.uint8) * 255
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 15)))


def _table_grid(bands, i: int) -> list[int]:
    """The x of the clean rules in the other rows of band i's table (the bands that touch it, edge to edge), each
    seen in two rows at least (one row's stroke can be a glyph's, the 于 of a left-aligned `1.属于…`): where a
    column boundary can be in this row."""
    lo = hi = i
    while lo > 0 and bands[lo - 1][1] == bands[lo][0]:
        lo -= 1
    while hi + 1 < len(bands) and bands[hi + 1][0] == bands[hi][1]:
        hi += 1
    seen: dict[int, int] = {}
    for j in range(lo, hi + 1):
        for a, b, side in bands[j][2]:
            x = (a + b) // 2
            if j != i and side <= 0.05:
                k = next((k for k in seen if abs(x - k) <= 6), x)
                seen[k] = seen.get(k, 0) + 1
    return [x for x, n in seen.items() if n >= 2]


def _faded_rule(faded, ink, y0: int, y1: int, x: int) -> int | None:
    """Where a rule the print faded runs through the band near the table's column boundary x: a light stroke (not
    dark ink) over most of the band, reaching the top or bottom rule, paper on both sides. A merged cell's text
    across x has no such stroke (its strokes are dark, shorter than the band, with ink beside them)."""
    lo = max(0, x - 5)
    window = faded[y0 + 3:y1 - 2, lo:x + 6] > 0  # inside the horizontal rules (no stroke stands out across them)
    if not window.size:
        return None
    inner = ink[y0 + 4:max(y0 + 5, y1 - 3)] > 0
    for a, b in _runs(window.mean(axis=0) >= 0.6):
        column = window[:, a:b].any(axis=1)
        touches = column[:6].any() or column[-6:].any()
        dark = (ink[y0 + 3:y1 - 2, lo + a:lo + b] > 0).any(axis=1).mean()  # a glyph's stroke is printed dark
        if touches and column.mean() >= 0.8 and dark <= 0.5 and _side_ink(inner, lo + a, lo + b - 1) <= 0.1:
            return lo + (a + b) // 2
    return None


def table_rows(img, ink, horiz, vert):
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
    faded = None  # computed once a band needs it
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
        # a rule faded over several rows (the print's toner weak in a stretch): the table's column boundaries from
        # its other rows, each taken only where a light stroke runs through this band there
        found = []
        for x in _table_grid(bands, i):
            if all(abs(x - k) > 6 for k in xs):
                faded = faded_strokes(img) if faded is None else faded
                at = _faded_rule(faded, ink, y0, y1, x)
                if at is not None:
                    found.append(at)
        xs += found
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
        for x in found:
            erase[y0:y1 + 1, max(0, x - 3):x + 4] |= faded[y0:y1 + 1, max(0, x - 3):x + 4] > 0
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


def span_rows(rows, ri: int, ci: int, ink, taken: set[tuple[int, int]]) -> int:
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


def row_grid(rows, ri: int) -> list[int]:
    """The column boundaries of the other rows of row ri's table (rows edge to edge with it)."""
    lo = hi = ri
    while lo > 0 and rows[lo - 1][1] == rows[lo][0]:
        lo -= 1
    while hi + 1 < len(rows) and rows[hi + 1][0] == rows[hi][1]:
        hi += 1
    xs: list[int] = []
    for j in range(lo, hi + 1):
        for x in {x for cell in rows[j][2] for x in cell}:
            if j != ri and all(abs(x - k) > 6 for k in xs):
                xs.append(x)
    return sorted(xs)


def grid_boxes(mask, top: int, bottom: int, x0: int, x1: int, grid: list[int]) -> list[tuple[int, int]]:
    """A cell [x0, x1) cut where a column boundary of its table passes through blank paper in it: the cells of a
    row whose rules faded away entirely ([(left, right)]). A glyph standing on the boundary (a merged cell's wide
    number or label) leaves no blank run of MIN_CUT pixels there, so it keeps its cell whole."""
    blank = ~mask[top:bottom, x0:x1].any(axis=0)
    cuts = []
    for a, b in _runs(blank, MIN_CUT):
        inside = [g - x0 for g in grid if a - 6 <= g - x0 < b + 6 and 8 < g - x0 < (x1 - x0) - 8]
        if inside:
            cuts.append(x0 + (a + b) // 2)
    edges = [x0] + cuts + [x1]
    return list(zip(edges, edges[1:]))
