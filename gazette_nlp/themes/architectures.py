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

from .bow import (CUE_PREFIX, SEGMENT_SEP, batch_features, scale_values, sentence_features,  # noqa: E402
                  smooth_max_pool)


def cue_keys(themes) -> np.ndarray:
    return np.array(sorted(get_string_id(CUE_PREFIX + t.replace("_", "")) for t in themes), dtype="uint64")


def scale_counts(keep: np.ndarray | None = None, sublinear: bool = True) -> Model:
    """(keys, counts, lengths) → (keys, scaled values, lengths), without a gradient (the input is fixed)."""

    def forward(model: Model, inputs, is_train: bool):
        keys, vals, lengths = inputs
        out = scale_values(keys, vals, lengths, keep, sublinear)
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
_TRAIN_CACHE: dict[int, dict[int, tuple]] = {}  # model id → {id(doc): (doc, features)} while training


def clear_training_cache() -> None:
    """Forget the features cached while training (called at the end of `ThemeClassifier` training)."""
    _TRAIN_CACHE.clear()


def _doc_features(doc, ngram_size: int, sep_key: int, ops):
    """One document's sentences as bags of n-grams (`bow.sentence_features` on its ORTH keys)."""
    return sentence_features(doc.to_array([ORTH]), ngram_size, sep_key, ops.ngrams)


def _segment_features(docs, ngram_size: int, sep_key: int, ops, cache: dict | None = None):
    """A batch: (keys, counts, lengths per sentence) and the number of sentences of each document."""
    features = []
    for doc in docs:
        hit = cache.get(id(doc)) if cache is not None else None
        if hit is not None and hit[0] is doc:
            f = hit[1]
        else:
            f = _doc_features(doc, ngram_size, sep_key, ops)
            if cache is not None:
                cache[id(doc)] = (doc, f)  # the doc is kept alive, so its id cannot be reused meanwhile
        features.append(f)
    return batch_features(features)


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
        out, W = smooth_max_pool(Z, n_segs, float(model.attrs["pool_r"]))
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
