"""spaCy architecture of the theme classifier, registered as `gazette_nlp.TextCatBOWNorm.v1`.

spaCy's `TextCatBOW` feeds raw n-gram counts into a sparse linear layer: every word adds its weight to the
logit, so a long paragraph piles up many small negative weights and gets lower scores for every theme than a
short one about the same thing — with a hundred training paragraphs, the length is the strongest feature.
This variant is the same bag of words and n-grams and the same `SparseLinear` + `Logistic` head, with the
counts of each document scaled first: sublinear (1 + log count) and then to unit L2 norm, as a TF-IDF
vectoriser does. The `cue` tokens that `classifier.prepare` appends (`cuetraining` …) can be kept out of the
scaling (`keep_cues`): they are evidence whose strength should not shrink with the paragraph's length.

Importing this module registers the architecture; `classifier.py` does so before it builds or loads a
pipeline.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..spacy_import import import_spacy_without_torch

import_spacy_without_torch()  # before the first spaCy import: see spacy_import.py

from spacy.attrs import ORTH  # noqa: E402
from spacy.ml.extract_ngrams import extract_ngrams  # noqa: E402
from spacy.strings import get_string_id  # noqa: E402
from spacy.util import registry  # noqa: E402
from thinc.api import Logistic, Model, SparseLinear_v2, chain  # noqa: E402

CUE_PREFIX = "cue"


def cue_keys(themes) -> np.ndarray:
    return np.array(sorted(get_string_id(CUE_PREFIX + t.replace("_", "")) for t in themes), dtype="uint64")


def scale_counts(keep: np.ndarray | None = None, sublinear: bool = True) -> Model:
    """(keys, counts, lengths) → (keys, scaled values, lengths), without a gradient (the input is fixed)."""

    def forward(model: Model, inputs, is_train: bool):
        keys, vals, lengths = inputs
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
        out = np.where(kept, v, v / per_key).astype("f")
        return (keys, model.ops.asarray(out, dtype="f"), lengths), lambda d: []

    return Model("scale_counts", forward)


@registry.architectures("gazette_nlp.TextCatBOWNorm.v1")
def build_bow_norm_classifier(
    nO: int,
    ngram_size: int = 2,
    length: int = 2 ** 17,
    sublinear: bool = True,
    keep_cues: bool = True,
    cue_themes: Optional[list[str]] = None,
) -> Model:
    """Multi-label bag-of-n-grams classifier with length-normalised counts (see module docstring)."""
    from .terms import THEMES

    keep = cue_keys(cue_themes or THEMES) if keep_cues else None
    sparse = SparseLinear_v2(nO=nO, length=length)
    model = chain(extract_ngrams(ngram_size, attr=ORTH), scale_counts(keep, sublinear), sparse, Logistic())
    model.set_ref("output_layer", sparse)
    model.attrs["multi_label"] = True
    return model


# ---------------------------------------------------------------- sentence-level bag of words, pooled
SEGMENT_SEP = "¶"  # `classifier.prepare` puts it between sentences


_TRAIN_CACHE: dict[int, dict[int, tuple]] = {}  # model id → {id(doc): (doc, features)} while training


def clear_training_cache() -> None:
    """Forget the features cached while training (called at the end of `ThemeClassifier` training)."""
    _TRAIN_CACHE.clear()


def _doc_features(doc, ngram_size: int, sep_key: int, ops):
    """One document's sentences (split at SEGMENT_SEP tokens) as bags of n-grams:
    (keys, counts, n-grams per sentence); a document without tokens is one empty sentence."""
    arr = np.asarray(doc.to_array([ORTH]), dtype="uint64").reshape(-1)
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
            grams = np.asarray(ops.ngrams(n, arr), dtype="uint64")
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


def _segment_features(docs, ngram_size: int, sep_key: int, ops, cache: dict | None = None):
    """A batch: (keys, counts, lengths per sentence) and the number of sentences of each document."""
    keys, vals, lens, n_segs = [], [], [], []
    for doc in docs:
        hit = cache.get(id(doc)) if cache is not None else None
        if hit is not None and hit[0] is doc:
            f = hit[1]
        else:
            f = _doc_features(doc, ngram_size, sep_key, ops)
            if cache is not None:
                cache[id(doc)] = (doc, f)  # the doc is kept alive, so its id cannot be reused meanwhile
        keys.append(f[0])
        vals.append(f[1])
        lens.append(f[2])
        n_segs.append(len(f[2]))
    return (np.concatenate(keys), np.concatenate(vals), np.concatenate(lens)), n_segs


@registry.architectures("gazette_nlp.TextCatSentenceBOW.v1")
def build_sentence_bow_classifier(
    nO: int,
    ngram_size: int = 2,
    length: int = 2 ** 17,
    sublinear: bool = True,
    keep_cues: bool = True,
    pool_r: float = 4.0,
    cue_themes: Optional[list[str]] = None,
) -> Model:
    """Multi-instance bag of words: every sentence of a paragraph is scored by one linear model over its
    length-normalised n-grams, and a paragraph's logit for a theme is a smooth maximum over its sentences
    (`logsumexp(r·z) / r`). A paragraph is about every theme one of its sentences is about; a whole-paragraph
    bag of words instead lets the sentences about other things vote a theme down."""
    from .terms import THEMES

    keep = cue_keys(cue_themes or THEMES) if keep_cues else None
    scale = scale_counts(keep, sublinear)
    sparse = SparseLinear_v2(nO=nO, length=length)
    sep_key = get_string_id(SEGMENT_SEP)

    def forward(model: Model, docs, is_train: bool):
        cache = _TRAIN_CACHE.setdefault(model.id, {}) if is_train else None
        feats, n_segs = _segment_features(docs, ngram_size, sep_key, model.ops, cache)
        feats, _ = scale(feats, is_train)
        Z, bp_sparse = sparse(feats, is_train)
        Z = np.asarray(Z, dtype="f")
        r = float(model.attrs["pool_r"])
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
        seg_doc = np.repeat(np.arange(len(n_segs)), n_segs)

        def backprop(d_out):
            d_out = np.asarray(d_out, dtype="f")
            bp_sparse(model.ops.asarray(W * d_out[seg_doc], dtype="f"))
            return []

        return model.ops.asarray(out, dtype="f"), backprop

    def init(model: Model, X=None, Y=None):
        sparse.initialize()

    pooled = Model("sentence_bow", forward, init=init, layers=[sparse], attrs={"pool_r": pool_r})
    model = chain(pooled, Logistic())
    model.set_ref("output_layer", sparse)
    model.attrs["multi_label"] = True
    return model
