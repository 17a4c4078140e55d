"""The numpy arithmetic of the sentence-level bag of words (`architectures.TextCatSentenceBOW`), without spaCy.

Training runs it inside thinc layers (architectures.py); inference runs it on arrays (textcat_arrays.py). One
copy of the arithmetic keeps the two runtimes giving the same numbers.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

SEGMENT_SEP = "¶"  # `classifier.prepare` puts it between sentences
CUE_PREFIX = "cue"  # cue tokens are `cue<theme>` (classifier.prepare)

NgramHasher = Callable[[int, np.ndarray], np.ndarray]  # (n, uint64 keys) → uint64 key of each n-gram


def sentence_features(arr: np.ndarray, ngram_size: int, sep_key: int, ngrams: NgramHasher):
    """One document's sentences (its token keys split at `sep_key` tokens) as bags of n-grams:
    (keys, counts, n-grams per sentence); a document without tokens is one empty sentence."""
    arr = np.asarray(arr, dtype="uint64").reshape(-1)
    is_sep = arr == sep_key
    keep = ~is_sep
    if not keep.any():
        return np.zeros(0, dtype="uint64"), np.zeros(0, dtype="f"), np.zeros(1, dtype="int32")
    seg = np.cumsum(is_sep)
    used = np.unique(seg[keep])  # a leading, trailing or doubled separator makes no sentence
    seg = np.searchsorted(used, seg)
    keys, segs = [arr[keep]], [seg[keep]]
    for n in range(2, ngram_size + 1):
        if len(arr) >= n:
            grams = np.asarray(ngrams(n, arr), dtype="uint64")
            m = len(arr) - n + 1
            ok = seg[:m] == seg[n - 1:]
            for j in range(n):
                ok &= keep[j:m + j]
            keys.append(grams[ok])
            segs.append(seg[:m][ok])
    k = np.concatenate(keys)
    s = np.concatenate(segs).astype("int64")
    order = np.lexsort((k, s))
    k, s = k[order], s[order]
    first = np.ones(len(k), dtype=bool)
    first[1:] = (k[1:] != k[:-1]) | (s[1:] != s[:-1])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(k))).astype("f")
    return k[starts], counts, np.bincount(s[starts], minlength=len(used)).astype("int32")


def batch_features(features: list[tuple[np.ndarray, np.ndarray, np.ndarray]]):
    """Per-document features → (keys, counts, lengths per sentence) of the batch, and sentences per document."""
    keys = np.concatenate([f[0] for f in features]) if features else np.zeros(0, dtype="uint64")
    vals = np.concatenate([f[1] for f in features]) if features else np.zeros(0, dtype="f")
    lens = np.concatenate([f[2] for f in features]) if features else np.zeros(0, dtype="int32")
    return (keys, vals, lens), [len(f[2]) for f in features]


def scale_values(keys: np.ndarray, vals: np.ndarray, lengths: np.ndarray, keep: np.ndarray | None,
                 sublinear: bool = True) -> np.ndarray:
    """Counts → 1 + log(count) (`sublinear`) → unit L2 norm per sentence; keys in `keep` (the cue tokens) are
    left out of the norm and unscaled: their evidence should not shrink with the sentence's length."""
    v = np.asarray(vals, dtype="f")
    if sublinear:
        v = 1.0 + np.log(np.maximum(v, 1.0))
    kept = np.isin(keys, keep) if keep is not None and len(keep) else np.zeros(len(v), dtype=bool)
    sq = np.where(kept, 0.0, v * v).astype("f")
    lens = np.asarray(lengths, dtype="int64")
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype("int64")
    norms = np.ones(len(lens), dtype="f")
    nonempty = lens > 0
    if nonempty.any():
        norms[nonempty] = np.sqrt(np.add.reduceat(sq, starts[nonempty]))
    norms[norms == 0] = 1.0
    per_key = np.repeat(norms, lens)
    return np.where(kept, v, v / per_key).astype("f")


def smooth_max_pool(Z: np.ndarray, n_segs: list[int], r: float) -> tuple[np.ndarray, np.ndarray]:
    """Sentence logits → document logits, `logsumexp(r·z) / r` per document; also each sentence's share of its
    document's gradient (the softmax weights)."""
    Z = np.asarray(Z, dtype="f")
    out = np.zeros((len(n_segs), Z.shape[1]), dtype="f")
    weights = []
    start = 0
    for i, k in enumerate(n_segs):
        z = Z[start:start + k]
        m = z.max(axis=0)
        e = np.exp(r * (z - m))
        s = e.sum(axis=0)
        out[i] = m + np.log(s) / r
        weights.append(e / s)
        start += k
    W = np.concatenate(weights, axis=0) if weights else np.zeros_like(Z)
    return out, W


def sigmoid(X: np.ndarray) -> np.ndarray:
    """thinc's `Ops.sigmoid` (clipped at ±20), which its `Logistic` layer applies."""
    X = np.clip(X, -20.0, 20.0)
    return 1.0 / (1.0 + np.exp(-X))


__all__ = ["CUE_PREFIX", "SEGMENT_SEP", "batch_features", "scale_values", "sentence_features", "sigmoid",
           "smooth_max_pool"]
