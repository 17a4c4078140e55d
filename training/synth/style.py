"""How one report prints its numbers and labels: separators, dashes for zero, wording and bracket variants.

Only length-changing choices live here (they must happen while a line is built, so that cell spans stay
right); length-preserving rewrites (full-width digits, OCR letters, traditional characters) run afterwards
over the finished lines, see `corruptions.py`.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

DASHES = ("/", "—", "无")
_CN_PAREN = re.compile(r"^（([一二三四五六七八九十]+)）\s*")
_ARABIC_DOT = re.compile(r"^(\d{1,2})\.\s*")
_NUMBERING = re.compile(r"^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d{1,2}\.)")
# characters an OCR engine confuses in table labels (both directions are real; one direction is enough here)
OCR_CONFUSIONS = {"未": "末", "已": "己", "人": "入", "日": "曰", "土": "士", "千": "干", "理": "埋", "请": "清",
                  "项": "顷", "数": "效", "结": "给", "总": "怠", "计": "汁", "审": "宙", "务": "各", "申": "中"}


@dataclass
class Style:
    rng: random.Random
    thousands: bool = False
    dash_zero: bool = False
    variants: bool = False
    ocr_labels: bool = False
    paren: str = "（）"  # how (一) is printed in labels: （一） | (一) | (一)␣
    dot: str = "."  # how 1. is printed: . | .␣ | ．
    used: set[str] = field(default_factory=set)  # corruption names that actually changed something

    @classmethod
    def draw(cls, rng: random.Random, thousands: bool, dash_zero: bool, variants: bool, ocr: bool) -> "Style":
        s = cls(rng, thousands, dash_zero, variants, ocr)
        if variants:
            s.paren = rng.choice(("（）", "()", "() ", "（） "))
            s.dot = rng.choice((".", ". ", "．", "、"))
        return s

    def num(self, v: int | float, table: str = "t3") -> str:
        # `/` for zero is common in table 2 (规章 a township cannot issue), rare in the count tables
        rate = 0.6 if table == "t2" else 0.04
        if v == 0 and self.dash_zero and isinstance(v, int) and self.rng.random() < rate:
            self.used.add("dash_zero")
            return self.rng.choice(DASHES)
        if self.thousands and v >= 1000:
            self.used.add("thousands_sep")
            return f"{v:,}"
        return str(v)

    def label(self, text: str, aliases: tuple[str, ...] = ()) -> str:
        """A template label as this report prints it."""
        out = text
        if self.variants:
            if aliases and self.rng.random() < 0.4:
                out = self._alias(text, self.rng.choice(aliases))
            out = _CN_PAREN.sub(lambda m: self._paren(m.group(1)), out)
            out = _ARABIC_DOT.sub(lambda m: m.group(1) + self.dot, out)
            if len(out) > 12 and self.rng.random() < 0.15:
                i = self.rng.randrange(4, len(out) - 2)
                out = out[:i] + " " + out[i:]
            if out != text:
                self.used.add("label_variants")
        if self.ocr_labels and self.rng.random() < 0.12:
            hits = [i for i, ch in enumerate(out) if ch in OCR_CONFUSIONS]
            if hits:
                i = self.rng.choice(hits)
                out = out[:i] + OCR_CONFUSIONS[out[i]] + out[i + 1:]
                self.used.add("ocr_noise")
        return out

    def _paren(self, numeral: str) -> str:
        p = self.paren
        return p[0] + numeral + p[1] + p[2:]

    @staticmethod
    def _alias(label: str, alias: str) -> str:
        """An alias with the label's numbering put back (aliases are stored without it)."""
        m = _NUMBERING.match(label)
        return alias if not m or _NUMBERING.match(alias) else m.group(0) + alias
