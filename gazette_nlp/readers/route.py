"""Routing: which reader a file goes to, decided by its bytes (magic numbers), the extension only as a hint.

A report saved as `.txt` that is really a PDF, or a web page downloaded as `.pdf`, still reads right.
`meta.input` then says how the text was obtained: text, html, pdf-text, pdf-ocr or image-ocr.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..model import Report
from .text import load_bytes, report_from_bytes

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")
# web pages are saved under their server's extension: a page that opens with markup is HTML whatever its first tag
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jhtml", ".jsp", ".jspx", ".asp", ".aspx", ".php")


def sniff(data: bytes, suffix: str = "") -> str:
    """`pdf`, `png`, `jpeg`, `tiff`, `html` or `text`, from the content; `suffix` breaks ties only."""
    if b"%PDF-" in data[:1024]:  # some generators put junk before the header; readers accept it within 1 KB
        return "pdf"
    for magic, kind in _IMAGE_MAGIC:
        if data.startswith(magic):
            return kind
    head = _ascii_head(data)
    if head.startswith(_HTML_STARTS) or (head.startswith(b"<?xml") and b"<html" in head):
        return "html"
    if head.startswith(b"<!--") and b"<html" in head:
        return "html"
    if suffix.lower() in HTML_SUFFIXES and head.startswith(b"<"):
        return "html"
    return "text"


def _ascii_head(data: bytes) -> bytes:
    head = data[:2048]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            break
    if head[:200].count(b"\x00") > 50:  # UTF-16 markup: look at its ASCII bytes
        head = head.replace(b"\x00", b"")
    return head.lstrip().lower()


def read_bytes(data: bytes, source: str = "<bytes>", suffix: str = "") -> Report:
    """Read any supported input from its bytes."""
    kind = sniff(data, suffix)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, source)
    if kind in ("png", "jpeg", "tiff"):
        from .ocr import read_image

        return read_image(data, source)
    if kind == "html":
        from .html import read_html

        return read_html(data, source)
    return report_from_bytes(data, source)


def read_any(path: str | os.PathLike[str]) -> Report:
    """Read a file of any supported kind into a `Report`. Raises named `InputError` subclasses."""
    return read_bytes(load_bytes(path), str(path), Path(path).suffix)
