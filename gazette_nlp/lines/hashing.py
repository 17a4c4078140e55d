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

    def __init__(self, n_features: int, ngram_range: tuple[int, int] = NGRAMS, remember: int = 1 << 19) -> None:
        self.n_features = n_features
        self.ngram_range = tuple(ngram_range)
        self.remember = remember
        self._cache: dict[str, int] = {}

    def column(self, gram: str) -> int:
        h = mmh3.hash(gram, 0, signed=True)
        # scikit-learn's defined value for abs(-2**31) % n
        return (2 ** 31 - 1 - (self.n_features - 1)) % self.n_features if h == _INT_MIN else abs(h) % self.n_features

    def rows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row of each entry, column, l2-normalised count): the non-zero entries of the hashed matrix, row by row
        and column-sorted within a row."""
        cache = self._cache
        if len(cache) > self.remember:
            cache.clear()
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, text in enumerate(texts):
            ids = []
            for g in char_ngrams(text, *self.ngram_range):
                c = cache.get(g)
                if c is None:
                    c = cache[g] = self.column(g)
                ids.append(c)
            counts = sorted(Counter(ids).items())
            norm = float(np.sqrt(sum(v * v for _, v in counts))) or 1.0
            rows.extend([r] * len(counts))
            cols.extend(c for c, _ in counts)
            vals.extend(v / norm for _, v in counts)
        return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), np.asarray(vals, dtype=np.float64)


__all__ = ["NGRAMS", "NgramHasher", "char_ngrams"]
