"""Length-preserving character rewrites: OCR letters in numbers, full-width digits, ASCII punctuation,
traditional characters. Because they never change a line's length, cell spans stay exact and the printed
token is simply re-read from the final text. `corrupt_text` applies them to any text (e.g. a gold report),
keeping its line numbering so its annotations still hold.
"""
from __future__ import annotations

import os
import random
from collections.abc import Iterable
from functools import lru_cache

from .doc import Ln

FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
HALFWIDTH_PUNCT = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})
OCR_DIGITS = {"0": ("O", "〇", "o"), "1": ("l", "I")}
TEXT_CORRUPTIONS = ("traditional", "fullwidth", "halfwidth_punct", "ocr_noise")


@lru_cache(maxsize=1)
def s2t_table() -> dict[int, str]:
    """Simplified → traditional, one character for one (the first candidate of OpenCC's character table)."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "STCharacters.txt")
    table: dict[int, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            src, _, dst = line.rstrip("\n").partition("\t")
            first = dst.split(" ")[0] if dst else ""
            if len(src) == 1 and len(first) == 1 and src != first and not src.isascii():
                table[ord(src)] = first
    return table


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def traditional(lines: list[Ln]) -> bool:
    """OpenCC s2t (phrase-aware: 关系 → 關係); a line whose length it would change falls back to the
    character table, so that spans stay exact."""
    unique = list(dict.fromkeys(ln.text for ln in lines))  # tables repeat `\t0` hundreds of times
    out = _s2t().convert("\n".join(unique)).split("\n")
    table = dict(zip(unique, out)) if len(out) == len(unique) else {}
    converted = [table.get(ln.text) or ln.text.translate(s2t_table()) for ln in lines]
    changed = False
    for ln, new in zip(lines, converted):
        if len(new) != len(ln.text):
            new = ln.text.translate(s2t_table())
        changed |= new != ln.text
        ln.text = new
    return changed


def fullwidth(lines: list[Ln], rng: random.Random) -> bool:
    prose = rng.random() < 0.5
    spaces = rng.random() < 0.5
    changed = False
    for ln in lines:
        if ln.label == "table_row" or (prose and ln.label in ("narrative", "heading")):
            new = ln.text.translate(FULLWIDTH_DIGITS)
            if spaces and ln.label == "table_row":
                new = new.replace(" ", "\u3000")
            changed |= new != ln.text
            ln.text = new
    return changed


def halfwidth_punct(lines: list[Ln]) -> bool:
    changed = False
    for ln in lines:
        new = ln.text.translate(HALFWIDTH_PUNCT)
        changed |= new != ln.text
        ln.text = new
    return changed


def ocr_digits(lines: list[Ln], rng: random.Random, rate: float = 0.2) -> int:
    """Swap 0/1 inside printed numbers for O, 〇, l, I. Returns how many numbers were touched."""
    spans = [(ln, c) for ln in lines for c in ln.cells if c[1] >= 0
             and any(ch in OCR_DIGITS for ch in ln.text[c[1]:c[2]])]
    if not spans:
        return 0
    hit = [s for s in spans if rng.random() < rate] or [rng.choice(spans)]
    for ln, (_, a, b) in hit:
        pos = [i for i in range(a, b) if ln.text[i] in OCR_DIGITS]
        i = rng.choice(pos)
        ln.text = ln.text[:i] + rng.choice(OCR_DIGITS[ln.text[i]]) + ln.text[i + 1:]
    return len(hit)


def corrupt_text(text: str, kinds: Iterable[str], seed: int = 0) -> str:
    """Apply length-preserving corruptions (`TEXT_CORRUPTIONS`) to any text, line numbering unchanged.

    OCR noise touches standalone numbers (the tokens of table cells); labels and spans of gold annotations
    stay valid because no line changes length or count.
    """
    import re

    kinds = list(kinds)
    bad = [k for k in kinds if k not in TEXT_CORRUPTIONS]
    if bad:
        raise ValueError(f"corrupt_text supports {TEXT_CORRUPTIONS}, not {bad}")
    rng = random.Random(seed)
    lines = [Ln(t, "table_row" if re.search(r"(?:^|[\t|])\s*\d", t) else "narrative") for t in text.split("\n")]
    if "ocr_noise" in kinds:
        for ln in lines:
            ln.cells = [["", m.start(), m.end()] for m in re.finditer(r"(?<![\d.])\d+(?![\d.])", ln.text)
                        if ln.label == "table_row"]
        ocr_digits(lines, rng, 0.1)
    if "fullwidth" in kinds:
        fullwidth(lines, rng)
    if "halfwidth_punct" in kinds:
        halfwidth_punct(lines)
    if "traditional" in kinds:
        traditional(lines)
    return "\n".join(ln.text for ln in lines)
