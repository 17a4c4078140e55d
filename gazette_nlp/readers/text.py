"""Plain-text input: bytes → text → `Report(lines)`.

Decoding tries the BOMs, then UTF-8 (strict, so never a false positive), then a charset detector
(charset-normalizer) among the Chinese encodings: GB18030 (a superset of GBK/GB2312), Big5 and its variants.
Line numbering follows the annotation guidelines: `n` is the 1-based index in `text.splitlines()`; `Line.text` is
never altered. A text over the size limit is refused and one printing the template several times is flagged
(`bounds`).
"""
from __future__ import annotations

import codecs
import os
from pathlib import Path

from ..errors import BinaryInputError, DecodeError, EmptyInputError, InputError
from ..model import Line, Report
from ..textnorm import normalise, to_simplified
from .bounds import check_size, repeated_template_issue

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
    detected = detect_chinese(data)
    if detected is None and len(data) > 1:  # a file cut in the middle of its last (two-byte) character
        detected = detect_chinese(data[:-1])
        if detected is not None:
            detected = (detected[0], f"{detected[1]} (truncated)")
    if detected is None:
        raise DecodeError("not valid text in UTF-8 or a Chinese encoding (GB18030, Big5)")
    return _checked(detected[0]), detected[1]


# codecs a Chinese report is written in; a detector free to choose would also weigh Latin-1 and the like, which
# decode any bytes at all
CHINESE_CODECS = ("gb18030", "big5", "big5hkscs", "cp950", "hz")
# a detector names the subset it saw; decoding with the superset reads the rare characters the sample lacked
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}


def detect_chinese(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) by charset-normalizer among `CHINESE_CODECS`; None when no codec reads the bytes."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CHINESE_CODECS)).best()
    if best is None:
        return None
    named = codecs.lookup(best.encoding).name
    for enc in (_SUPERSETS.get(named, named), named):
        try:
            return data.decode(enc), named
        except UnicodeDecodeError:
            continue
    return None


def _checked(text: str) -> str:
    if not text.strip():
        raise EmptyInputError("the file holds only whitespace")
    if _control_ratio(text) > 0.01:
        raise BinaryInputError("the file holds binary data (control characters), not text")
    return text


def report_from_text(text: str, source: str = "<text>") -> Report:
    """Split text into numbered lines and attach their normalised forms. Raises `InputTooLargeError` over the
    size limit (before the costly normalisation)."""
    check_size(text)
    simplified = to_simplified(text)
    raw_lines = text.splitlines()
    norm_lines = simplified.splitlines() if simplified is not text else raw_lines
    if len(norm_lines) != len(raw_lines):
        norm_lines = raw_lines
    lines = [Line(n=i, text=t, norm=normalise(s)) for i, (t, s) in enumerate(zip(raw_lines, norm_lines), 1)]
    traditional = simplified is not text
    report = Report(source=source, lines=lines, meta={"input": "text", "traditional": traditional})
    repeated = repeated_template_issue(simplified)
    if repeated is not None:
        report.issues.append(repeated)
    return report


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
