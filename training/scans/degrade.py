"""Scans the way real scanners and phone cameras make them, from a PDF's pages (issue 13).

    python -m training.scans.degrade tests/fixtures/office/synth_101_s74.pdf --level default --seed 1 --out /tmp/x.scan.pdf

A page is rendered from the PDF (an office-suite export: see `training/office`) at the level's resolution, then
degraded in the order a real scan picks its faults up: faint or broken ruling lines and weak toner first (the
print), a stamp over the signature, then the scanner's geometry (rotation, a little perspective), the paper
(grey, unevenly lit), the optics (blur), the sensor (noise, specks) and last the JPEG compression. The result is
written as an image-only PDF (pages as JPEG, the way scanning software saves them) or as page images.

Levels (each field is the upper end of what is drawn; every draw comes from `seed`):
- `light`: 300 dpi, office scanner, ±0.5°, JPEG 80–90;
- `default`: what the issue measured on: 150 dpi greyscale, skew under 1°, grey paper, noise, slight blur, JPEG 50–75;
- `heavy`: phone-photo-like: 150 dpi, up to 2° and perspective, uneven light, blur, JPEG 40–55, faint and broken
  rules, a stamp over the text.
"""
from __future__ import annotations

import argparse
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Level:
    name: str
    dpi: int
    max_angle: float  # degrees
    perspective: float  # largest corner shift, as a share of the page width
    paper: tuple[int, int]  # background grey level range
    light_gradient: float  # largest brightness change across the page, in grey levels
    blur: tuple[float, float]  # Gaussian sigma range, in pixels at the level's dpi
    noise: tuple[float, float]  # Gaussian noise sigma range
    specks: float  # dark specks per megapixel
    jpeg: tuple[int, int]  # JPEG quality range
    toner: tuple[float, float]  # ink darkness kept (1 = black stays black)
    broken_rules: float  # share of ruling-line length faded or broken
    stamp: bool


LEVELS = {
    "light": Level("light", 300, 0.5, 0.0, (235, 250), 8, (0.3, 0.6), (2, 4), 2, (80, 90), (0.9, 1.0), 0.0, False),
    "default": Level("default", 150, 1.0, 0.002, (205, 235), 20, (0.5, 0.9), (4, 8), 10, (50, 75), (0.75, 0.95),
                     0.15, False),
    "heavy": Level("heavy", 150, 2.0, 0.008, (185, 225), 45, (0.8, 1.3), (7, 11), 30, (40, 55), (0.6, 0.85),
                   0.4, True),
}


def render_pages(pdf: bytes, dpi: int) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [np.asarray(p.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")) for p in doc]
    finally:
        doc.close()


def _fade_rules(img: np.ndarray, rng: np.random.Generator, share: float) -> np.ndarray:
    """Ruling lines printed thin or broken: stretches of each long stroke lightened or dropped."""
    if share <= 0:
        return img
    ink = (img < 160).astype(np.uint8)
    h, w = img.shape
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (w // 20, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, h // 60)))
    out = img.astype(np.float32)
    for mask, axis in ((horiz, 1), (vert, 0)):
        length = mask.shape[axis]
        keep = np.ones(length, np.float32)
        pos = 0
        while pos < length:  # alternating stretches: mostly whole, some faded, a few gone
            run = int(rng.integers(length // 60 + 5, length // 8 + 10))
            if rng.random() < share:
                keep[pos:pos + run] = rng.uniform(0.0, 0.5)
            pos += run
        fade = keep[None, :] if axis == 1 else keep[:, None]
        m = mask.astype(bool)
        out[m] = (255 - (255 - out) * fade)[m] if axis == 1 else (255 - (255 - out) * fade)[m]
    return out.clip(0, 255).astype(np.uint8)


def _stamp(img: np.ndarray, rng: np.random.Generator, dpi: int) -> np.ndarray:
    """A round red seal (grey in a greyscale scan) over the last text on the page, as over a signature."""
    h, w = img.shape
    rows = np.flatnonzero((img < 128).sum(axis=1) > 3)
    if not len(rows):
        return img
    r = int(dpi * 0.8)  # a 4 cm seal
    cy = int(rows[-1] - rng.uniform(0, 2) * r / 2)
    cx = int(w * rng.uniform(0.55, 0.8))
    seal = np.zeros_like(img, np.uint8)
    cv2.circle(seal, (cx, cy), r, 255, max(2, dpi // 40))
    cv2.circle(seal, (cx, cy), r // 4, 255, -1)  # the star, as a blot
    for k in range(10):  # the arc of the seal's text, as short strokes
        a = np.pi * (0.9 + 1.2 * k / 9)
        x, y = int(cx + 0.72 * r * np.cos(a)), int(cy + 0.72 * r * np.sin(a))
        cv2.rectangle(seal, (x - r // 12, y - r // 12), (x + r // 12, y + r // 12), 255, -1)
    grey = rng.uniform(110, 160)  # red ink's luminance in a greyscale scan
    alpha = (seal / 255.0) * rng.uniform(0.5, 0.8)
    return (img * (1 - alpha) + np.minimum(img, grey) * alpha).astype(np.uint8)


def degrade_page(page: np.ndarray, level: Level, rng: np.random.Generator, last_page: bool = False) -> np.ndarray:
    img = _fade_rules(page, rng, level.broken_rules)
    if level.stamp and last_page:
        img = _stamp(img, rng, level.dpi)
    toner = rng.uniform(*level.toner)
    img = 255 - (255 - img.astype(np.float32)) * toner
    h, w = img.shape
    # geometry: rotation about the centre, then a small perspective (corners moved independently)
    angle = rng.uniform(-level.max_angle, level.max_angle)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    if level.perspective > 0:
        d = level.perspective * w
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        dst = src + rng.uniform(-d, d, src.shape).astype(np.float32)
        img = cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=255)
    # paper: grey, lit unevenly (a plane plus a soft blob), ink multiplies onto it
    paper = rng.uniform(*level.paper)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    light = level.light_gradient * (gx * (xx / w - 0.5) + gy * (yy / h - 0.5))
    bx, by = rng.uniform(0, w), rng.uniform(0, h)
    light -= level.light_gradient * 0.5 * np.exp(-(((xx - bx) / (0.4 * w)) ** 2 + ((yy - by) / (0.4 * h)) ** 2))
    img = img / 255.0 * np.clip(paper + light, 60, 255)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(*level.blur))
    img = img + rng.normal(0, rng.uniform(*level.noise), img.shape)
    n = int(level.specks * h * w / 1e6)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    img[ys, xs] = rng.uniform(40, 120, n)
    return img.clip(0, 255).astype(np.uint8)


@dataclass
class Scan:
    pages: list[np.ndarray]  # before compression: `jpeg_quality` is applied once, when written
    dpi: int
    jpeg_quality: int  # one setting per document, as a scanner keeps it

    def to_pdf(self) -> bytes:
        """An image-only PDF, one JPEG page per image, at the scan's resolution (as scanning software writes it)."""
        pil = [Image.fromarray(i) for i in self.pages]
        buf = io.BytesIO()
        pil[0].save(buf, "PDF", save_all=True, append_images=pil[1:], resolution=float(self.dpi),
                    quality=self.jpeg_quality)
        return buf.getvalue()

    def to_jpegs(self) -> list[bytes]:
        return [cv2.imencode(".jpg", p, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])[1].tobytes()
                for p in self.pages]


def degrade_pdf(pdf: bytes, level: str | Level = "default", seed: int = 0, pages: list[int] | None = None) -> Scan:
    """The PDF's pages (1-based `pages`, default all) scanned at `level`."""
    lv = LEVELS[level] if isinstance(level, str) else level
    rng = np.random.default_rng(seed)
    quality = int(rng.integers(*lv.jpeg, endpoint=True))
    rendered = render_pages(pdf, lv.dpi)
    keep = pages or list(range(1, len(rendered) + 1))
    return Scan([degrade_page(rendered[p - 1], lv, rng, last_page=(p == len(rendered))) for p in keep], lv.dpi,
                quality)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf", type=Path)
    ap.add_argument("--level", choices=sorted(LEVELS), default="default")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pages", type=int, nargs="*", help="1-based pages to keep (default all)")
    ap.add_argument("--out", type=Path, required=True, help=".pdf (image-only) or a directory of page .jpg files")
    a = ap.parse_args(argv)
    lv = LEVELS[a.level]
    scan = degrade_pdf(a.pdf.read_bytes(), lv, a.seed, a.pages)
    if a.out.suffix.lower() == ".pdf":
        a.out.write_bytes(scan.to_pdf())
    else:
        a.out.mkdir(parents=True, exist_ok=True)
        for i, data in enumerate(scan.to_jpegs(), 1):
            (a.out / f"page{i}.jpg").write_bytes(data)
    print(json.dumps({"out": str(a.out), "pages": len(scan.pages), "jpeg_quality": scan.jpeg_quality,
                      "level": asdict(lv), "seed": a.seed}))


if __name__ == "__main__":
    main()
