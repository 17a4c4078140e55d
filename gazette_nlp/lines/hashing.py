"""Hashed character n-grams exactly as scikit-learn's `HashingVectorizer(analyzer="char", alternate_sign=False,
norm="l2", lowercase=False)` makes them, without importing scikit-learn: MurmurHash3 (x86, 32 bit, seed 0) of
the UTF-8 n-gram, its absolute value modulo the number of columns, counts scaled to unit length per row."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import mmh3
import numpy as np

NGRAMS = (1, 3)
_WHITE = re.compile(r"\s\s+")
_INT_MIN = -2 ** 31


def char_ngrams(text: str, lo: int = NGRAMS[0], hi: int = NGRAMS[1]) -> list[str]:
    """The n-grams of scikit-learn's `analyzer="char"`: white-space runs read as one space."""
    t = _WHITE.sub(" ", text)
    return [t[i:i + n] for n in range(lo, min(hi, len(t)) + 1) for i in range(len(t) - n + 1)]


class NgramHasher:
    """n-gram → column, remembered: a corpus repeats its table labels and headings in every report."""

    def __init__(self, n_features: int, ngram_range: tuple[int, int] = NGRAMS, remember: int = 1 << 19,
                 remember_lines: int = 8192) -> None:
        self.n_features = n_features
        self.ngram_range = tuple(ngram_range)
        self.remember = remember
        self.remember_lines = remember_lines
        self._cache: dict[str, int] = {}
        self._lines: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def column(self, gram: str) -> int:
        h = mmh3.hash(gram, 0, signed=True)
        # scikit-learn's defined value for abs(-2**31) % n
        return (2 ** 31 - 1 - (self.n_features - 1)) % self.n_features if h == _INT_MIN else abs(h) % self.n_features

    def _line(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, l2-normalised counts) of one line, columns sorted; remembered per line, since a corpus
        prints its table labels and headings in every report."""
        got = self._lines.get(text)
        if got is not None:
            return got
        cache = self._cache
        ids = []
        for g in char_ngrams(text, *self.ngram_range):
            c = cache.get(g)
            if c is None:
                c = cache[g] = self.column(g)
            ids.append(c)
        counts = sorted(Counter(ids).items())
        norm = float(np.sqrt(sum(v * v for _, v in counts))) or 1.0
        got = (np.fromiter((c for c, _ in counts), dtype=np.int64, count=len(counts)),
               np.fromiter((v / norm for _, v in counts), dtype=np.float64, count=len(counts)))
        if len(self._lines) >= self.remember_lines:
            self._lines.clear()
        self._lines[text] = got
        return got

    def rows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row of each entry, column, l2-normalised count): the non-zero entries of the hashed matrix, row by row
        and column-sorted within a row."""
        if len(self._cache) > self.remember:
            self._cache.clear()
        parts = [self._line(t) for t in texts]
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.copy(), np.zeros(0, dtype=np.float64)
        rows = np.repeat(np.arange(len(parts), dtype=np.int64), [len(c) for c, _ in parts])
        return rows, np.concatenate([c for c, _ in parts]), np.concatenate([v for _, v in parts])


__all__ = ["NGRAMS", "NgramHasher", "char_ngrams"]
