"""Text normalisation used for matching only: `Line.text` always stays as printed.

`normalise` maps a line to a canonical form (half-width, simplified characters, no zero-width characters,
no HTML residue or markdown markers); `squash` further drops whitespace, punctuation and brackets so that
labels match however an extraction spaced or punctuated them.
"""
from __future__ import annotations

import html
import os
import re
import unicodedata
from functools import lru_cache

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_BOLD = re.compile(r"\*\*|__")
_SQUASH_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_OCR_ZERO = str.maketrans({"〇": "0"})


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # pure-Python OpenCC port; loaded only when a text needs it

    import opencc as _pkg

    path = os.path.join(os.path.dirname(_pkg.__file__), "dictionary", "TSCharacters.txt")
    with open(path, encoding="utf-8") as fh:
        pairs = [line.rstrip("\n").split("\t") for line in fh if "\t" in line]
    # characters that are identical in both scripts are in the file too; keep the ones that differ
    traditional = {k for k, v in pairs if len(k) == 1 and k not in v.split(" ")}
    return OpenCC("t2s"), frozenset(traditional)


def to_simplified(text: str) -> str:
    """Traditional → simplified, only when the text holds traditional characters (the conversion is slow)."""
    converter, traditional = _t2s()
    if not any(ch in traditional for ch in text):
        return text
    out = converter.convert(text)
    return out if len(out) == len(text) else text  # phrase maps could change lengths; never shift positions


def normalise(text: str) -> str:
    """Canonical form of one line for features and matching."""
    t = text.translate(_ZERO_WIDTH)
    if "&" in t:
        t = html.unescape(t)
    if "<" in t:
        t = _TAG.sub(" ", t)
    t = unicodedata.normalize("NFKC", t)  # full-width digits/letters/punctuation, NBSP and U+3000 → ASCII
    t = _MD_HEADING.sub("", t)
    if "*" in t or "__" in t:
        t = _MD_BOLD.sub("", t)
    return t.rstrip()


def squash(text: str) -> str:
    """Drop whitespace, punctuation and brackets: '（一） 予以 公开' → '一予以公开'."""
    return _SQUASH_DROP.sub("", normalise(text).translate(_OCR_ZERO)) if text else ""


def squash_normalised(norm: str) -> str:
    """`squash` for text that is already normalised."""
    return _SQUASH_DROP.sub("", norm)
