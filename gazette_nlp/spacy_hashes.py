"""spaCy's and thinc's hash functions, in numpy, so that models trained with spaCy run without it.

* `murmurhash64a(bytes, 1)` — spaCy's string ids (`StringStore`, `hash_string`);
* `ngram_keys` — thinc's `NumpyOps.ngrams` (MurmurHash64A, seed 0, of runs of keys);
* `murmur3_32_u64` — MurmurHash3_x86_32 of a uint64 key (thinc's `SparseLinear` rows);
* `thinc_hash` — thinc's `NumpyOps.hash` (`HashEmbed`'s four 32-bit rows per key).

Each is checked against spaCy and thinc in `tests/test_theme_arrays.py` and `tests/test_fact_arrays.py`.
"""
from __future__ import annotations

import numpy as np

_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1
_M_U64 = np.uint64(_M)
_R = np.uint64(47)


def murmurhash64a(data: bytes, seed: int) -> int:
    """MurmurHash64A (Austin Appleby), as the `murmurhash` package that spaCy uses computes it."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    end = n - n % 8
    for i in range(0, end, 8):
        k = (int.from_bytes(data[i:i + 8], "little") * _M) & _MASK
        k = ((k ^ (k >> 47)) * _M) & _MASK
        h = ((h ^ k) * _M) & _MASK
    if n % 8:
        h = ((h ^ int.from_bytes(data[end:], "little")) * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    return h ^ (h >> 47)


def ngram_keys(n: int, keys: np.ndarray) -> np.ndarray:
    """thinc's `NumpyOps.ngrams`: MurmurHash64A (seed 0) of every run of `n` consecutive uint64 keys."""
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    m = len(keys) - (n - 1)
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.full(m, (n * 8 * _M) & _MASK, dtype=np.uint64)
    for j in range(n):
        k = keys[j:j + m] * _M_U64
        k ^= k >> _R
        k *= _M_U64
        h ^= k
        h *= _M_U64
    h ^= h >> _R
    h *= _M_U64
    h ^= h >> _R
    return h


def murmur3_32_u64(keys: np.ndarray, seed: int) -> np.ndarray:
    """MurmurHash3_x86_32 of each uint64 key's 8 little-endian bytes (thinc's `SparseLinear` row hash)."""
    keys = np.asarray(keys, dtype=np.uint64)
    c1, c2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)
    h = np.full(len(keys), seed, dtype=np.uint32)
    for half in (keys & np.uint64(0xFFFFFFFF), keys >> np.uint64(32)):
        k = half.astype(np.uint32) * c1
        k = (k << np.uint32(15)) | (k >> np.uint32(17))
        k *= c2
        h ^= k
        h = (h << np.uint32(13)) | (h >> np.uint32(19))
        h = h * np.uint32(5) + np.uint32(0xE6546B64)
    h ^= np.uint32(8)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


_C1 = np.uint64(0x87C37B91114253D5)
_C2 = np.uint64(0x4CF5AD432745937F)
_F1 = np.uint64(0xFF51AFD7ED558CCD)
_F2 = np.uint64(0xC4CEB9FE1A85EC53)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h ^= h >> np.uint64(33)
    h *= _F1
    h ^= h >> np.uint64(33)
    h *= _F2
    h ^= h >> np.uint64(33)
    return h


def thinc_hash(ids: np.ndarray, seed: int) -> np.ndarray:
    """thinc's `NumpyOps.hash(ids, seed)`: (n, 4) uint32 from the 128-bit MurmurHash3 of each uint64 key
    (thinc's `MurmurHash3_x86_128_uint64`, the x64 algorithm on one 8-byte tail)."""
    with np.errstate(over="ignore"):
        h1 = np.asarray(ids, dtype=np.uint64) * _C1
        h1 = (h1 << np.uint64(31)) | (h1 >> np.uint64(33))
        h1 *= _C2
        h1 ^= np.uint64(seed)
        h1 ^= np.uint64(8)
        h2 = np.full_like(h1, np.uint64(seed) ^ np.uint64(8))
        h1 += h2
        h2 += h1
        h1, h2 = _fmix64(h1), _fmix64(h2)
        h1 += h2
        h2 += h1
    out = np.empty((len(h1), 4), dtype=np.uint32)
    out[:, 0], out[:, 1] = h1 & np.uint64(0xFFFFFFFF), h1 >> np.uint64(32)
    out[:, 2], out[:, 3] = h2 & np.uint64(0xFFFFFFFF), h2 >> np.uint64(32)
    return out


def string_id(text: str) -> int:
    """spaCy's id of a string (`StringStore`): 0 for the empty string, else MurmurHash64A of its UTF-8, seed 1."""
    return murmurhash64a(text.encode("utf-8"), 1) if text else 0


class StringIds:
    """spaCy's id of each string: its symbol id for the few strings in spaCy's symbol table, else `string_id`;
    remembered, up to a corpus's vocabulary (bounded, so that a stream of junk cannot grow it)."""

    def __init__(self, symbols: dict[str, int], remember: int = 200_000) -> None:
        self.symbols = symbols
        self.remember = remember
        self._ids: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        k = self._ids.get(text)
        if k is None:
            k = self.symbols.get(text)
            if k is None:
                k = string_id(text)
            if len(self._ids) < self.remember:
                self._ids[text] = k
        return k
