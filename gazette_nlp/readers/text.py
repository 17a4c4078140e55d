"""Plain-text input: bytes → text → `Report(lines)`.

Decoding tries the BOMs, then UTF-8, then GB18030 (a superset of GBK/GB2312). Line numbering follows the
annotation guidelines: `n` is the 1-based index in `text.splitlines()`; `Line.text` is never altered.
"""
from __future__ import annotations

import codecs
import os
from pathlib import Path

from ..errors import BinaryInputError, DecodeError, EmptyInputError, InputError
from ..model import Line, Report
from ..textnorm import normalise, to_simplified

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALLOWED_CONTROL = set("\t\n\r\f\v\x1c\x1d\x1e\x85")
MAX_BYTES = 200 * 1024 * 1024


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) and ch not in _ALLOWED_CONTROL)
    return bad / max(1, len(sample))


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    for zeros, enc in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros / half > 0.3:  # ASCII-heavy UTF-16: every other byte is NUL
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode report bytes; returns (text, encoding). Raises a named `InputError` subclass."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyInputError("the file is empty")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError as e:
                raise DecodeError(f"invalid {enc} after its byte-order mark at byte {e.start}") from None
            return _checked(text), enc
    if b"\x00" in data[:4000]:
        text = _utf16_without_bom(data)
        if text is None:
            raise BinaryInputError("the file holds binary data (NUL bytes), not text")
        return _checked(text), "utf-16"
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.start >= len(data) - 3:
            # a file cut in the middle of its last character: keep what is whole
            return _checked(data[: e.start].decode("utf-8")), "utf-8 (truncated)"
    try:
        return _checked(data.decode("gb18030")), "gb18030"
    except UnicodeDecodeError as e:
        raise DecodeError(f"not valid UTF-8 or GB18030 text (undecodable bytes at offset {e.start})") from None


def _checked(text: str) -> str:
    if not text.strip():
        raise EmptyInputError("the file holds only whitespace")
    if _control_ratio(text) > 0.01:
        raise BinaryInputError("the file holds binary data (control characters), not text")
    return text


def report_from_text(text: str, source: str = "<text>") -> Report:
    """Split text into numbered lines and attach their normalised forms."""
    simplified = to_simplified(text)
    raw_lines = text.splitlines()
    norm_lines = simplified.splitlines() if simplified is not text else raw_lines
    if len(norm_lines) != len(raw_lines):
        norm_lines = raw_lines
    lines = [Line(n=i, text=t, norm=normalise(s)) for i, (t, s) in enumerate(zip(raw_lines, norm_lines), 1)]
    traditional = simplified is not text
    return Report(source=source, lines=lines, meta={"input": "text", "traditional": traditional})


def read_text(text: str, source: str = "<text>") -> Report:
    if not text.strip():
        raise EmptyInputError("the text is empty")
    return report_from_text(text, source)


def read_path(path: str | os.PathLike[str]) -> Report:
    """Read a text file into a `Report`. Raises `InputError` subclasses with one-line messages."""
    return report_from_bytes(load_bytes(path), str(path))


def report_from_bytes(data: bytes, source: str) -> Report:
    text, encoding = decode_bytes(data)
    report = report_from_text(text, source=source)
    report.meta["encoding"] = encoding
    return report


def load_bytes(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, or a named `InputError` (missing, a directory, unreadable, too large)."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p} is a directory")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{p} is {size // (1024 * 1024)} MB, larger than the {MAX_BYTES // (1024 * 1024)} MB limit")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{p} is a directory") from None
    except OSError as e:
        raise InputError(f"{p}: {e.strerror or e}") from None
    return data
