"""The theme classifier's second model: a scikit-learn linear model on word and character n-grams.

`ThemeClassifier` averages its probabilities with the spaCy textcat's. The two see the same paragraph
differently: spaCy scores each sentence over jieba words and word bigrams and pools the sentences; this model
looks at the whole paragraph, over

* the words of the spaCy doc (jieba with the domain dictionary, digits folded, cue tokens appended — the
  tokens the textcat sees, so segmentation runs once) and their bigrams, TF-IDF weighted;
* character 1–3-grams of the paragraph (digits folded), TF-IDF weighted: robust to segmentation errors,
  traditional/variant wording and words jieba does not know;

and fits one L2-regularised logistic regression per theme (balanced class weights, per-example weights).

Persistence is plain data, no pickle: `vocab.json` (the two vocabularies) and `weights.npz` (IDF vectors,
coefficients, intercepts); loading them needs no scikit-learn.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .terms import THEMES

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
MAX_CHARS = 3000


def _identity(tokens):
    return tokens


def word_features(words: Sequence[str]) -> list[str]:
    """Words and word bigrams."""
    words = list(words)
    return words + [a + "\x01" + b for a, b in zip(words, words[1:])]


def char_text(text: str) -> str:
    return _DIGITS.sub("0", text[:MAX_CHARS])


class LinearThemeModel:
    """One logistic regression per theme over TF-IDF word and character n-grams."""

    def __init__(self, C: float = 4.0, char_ngrams: tuple[int, int] = (1, 3), min_df: int = 2,
                 class_weight: str | None = "balanced") -> None:
        self.C = C
        self.char_ngrams = tuple(char_ngrams)
        self.min_df = min_df
        self.class_weight = class_weight
        self._index: tuple[dict[str, int], dict[str, int]] | None = None  # (word, char) vocabularies
        self._idf: tuple[np.ndarray, np.ndarray] | None = None  # their IDF weights
        self.coef: np.ndarray | None = None  # (n_themes, n_features)
        self._coef_t: tuple[np.ndarray, np.ndarray] | None = None  # (coef, its transpose, contiguous)
        self.intercept: np.ndarray | None = None  # (n_themes,)

    def _vectorizers(self):
        """The vectorisers that learn the vocabularies and IDF weights (training only)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        w = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=self.min_df, dtype=np.float32)
        c = TfidfVectorizer(analyzer="char", ngram_range=self.char_ngrams, sublinear_tf=True, lowercase=False,
                            min_df=self.min_df, dtype=np.float32)
        return w, c

    def _rows(self, wf: Sequence[Sequence[str]], ct: Sequence[str]):
        """The TF-IDF rows (`_tfidf_rows`) of the word features `wf` and of the character n-grams of `ct`."""
        lo, hi = self.char_ngrams
        return (_tfidf_rows(wf, self._index[0], self._idf[0]),
                _tfidf_rows((_char_ngrams(t, lo, hi) for t in ct), self._index[1], self._idf[1]))

    def _matrix(self, words: Sequence[Sequence[str]], texts: Sequence[str], fit: bool = False):
        """The design matrix (training): the word part and the character part side by side, as scipy CSR."""
        from scipy.sparse import csr_matrix, hstack

        wf = [word_features(w) for w in words]
        ct = [char_text(t) for t in texts]
        if fit:  # sklearn learns the vocabularies and IDF weights; the features themselves come from _rows
            words, chars = self._vectorizers()
            words.fit(wf)
            chars.fit(ct)
            self._index = (dict(words.vocabulary_), dict(chars.vocabulary_))
            self._idf = (words.idf_, chars.idf_)
        parts = [csr_matrix((data, col, ptr), shape=(len(ptr) - 1, len(idf)))
                 for (ptr, col, data), idf in zip(self._rows(wf, ct), self._idf)]
        return hstack(parts, format="csr", dtype=np.float32)

    def fit(self, words: Sequence[Sequence[str]], texts: Sequence[str], labels: Sequence[Sequence[str]],
            weights: Sequence[float] | None = None) -> "LinearThemeModel":
        from sklearn.linear_model import LogisticRegression

        X = self._matrix(words, texts, fit=True)
        sw = np.ones(len(texts)) if weights is None else np.asarray(weights, dtype=float)
        coef = np.zeros((len(THEMES), X.shape[1]), dtype=np.float32)
        intercept = np.zeros(len(THEMES), dtype=np.float32)
        for j, theme in enumerate(THEMES):
            y = np.array([theme in labs for labs in labels], dtype=int)
            if y.min() == y.max():  # one class only: a constant model
                intercept[j] = 10.0 if y[0] else -10.0
                continue
            m = LogisticRegression(C=self.C, max_iter=3000, class_weight=self.class_weight)
            m.fit(X, y, sample_weight=sw)
            coef[j], intercept[j] = m.coef_[0], m.intercept_[0]
        # kept at the precision they are saved with, so that a saved model scores exactly as the fitted one
        self.coef, self.intercept = coef.astype(np.float16).astype(np.float32), intercept
        return self

    def predict_proba(self, words: Sequence[Sequence[str]], texts: Sequence[str]) -> np.ndarray:
        """(n, 9) probabilities, themes in `THEMES` order."""
        if not len(texts):
            return np.zeros((0, len(THEMES)), dtype=np.float32)
        z = self._scores(words, texts) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def _scores(self, words: Sequence[Sequence[str]], texts: Sequence[str]) -> np.ndarray:
        """`X @ coef.T` for the design matrix of `_matrix`, without building it: each row's word then character
        features add their coefficient rows in float32, in the order scipy's CSR product adds them."""
        if self._coef_t is None or self._coef_t[0] is not self.coef:  # transposed once per set of weights
            self._coef_t = (self.coef, np.ascontiguousarray(self.coef.T))
        coef_t = self._coef_t[1]
        out = np.zeros((len(texts), coef_t.shape[1]), dtype=np.result_type(self.coef.dtype, np.float32))
        parts = self._rows([word_features(w) for w in words], [char_text(t) for t in texts])
        for (ptr, col, data), offset in zip(parts, (0, len(self._index[0]))):  # per row, hstack's order
            rows = np.repeat(np.arange(len(texts)), np.diff(ptr))
            np.add.at(out, rows, data[:, None] * coef_t[col + offset])
        return out

    def vocabularies(self) -> tuple[dict[str, int], dict[str, int]]:
        """(word and word-bigram vocabulary, character n-gram vocabulary): feature → column."""
        if self._index is None:
            raise ValueError("the linear theme model is not fitted")
        return self._index

    # ------------------------------------------------------------ persistence
    def settings(self) -> dict[str, Any]:
        return {"C": self.C, "char_ngrams": list(self.char_ngrams), "min_df": self.min_df,
                "class_weight": self.class_weight}

    def save(self, path: str | Path) -> None:
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        vocab = {"settings": self.settings(), "themes": list(THEMES),
                 "words": _ordered(self._index[0]), "chars": _ordered(self._index[1])}
        (p / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        # float16 keeps the file small; the scores move by less than 1e-3
        np.savez_compressed(p / "weights.npz", words_idf=self._idf[0].astype(np.float32),
                            chars_idf=self._idf[1].astype(np.float32), coef=self.coef.astype(np.float16),
                            intercept=self.intercept.astype(np.float32))

    @classmethod
    def load(cls, path: str | Path) -> "LinearThemeModel":
        """Plain arrays, no scikit-learn: inference needs the vocabularies, IDF vectors and coefficients only."""
        p = Path(path)
        vocab = json.loads((p / "vocab.json").read_text(encoding="utf-8"))
        if vocab.get("themes") != list(THEMES):
            raise ValueError(f"{p}: themes {vocab.get('themes')} differ from {list(THEMES)}")
        s = vocab["settings"]
        obj = cls(C=s["C"], char_ngrams=tuple(s["char_ngrams"]), min_df=s["min_df"], class_weight=s["class_weight"])
        w = np.load(p / "weights.npz")
        obj._index = ({t: i for i, t in enumerate(vocab["words"])}, {t: i for i, t in enumerate(vocab["chars"])})
        obj._idf = (w["words_idf"], w["chars_idf"])
        obj.coef = w["coef"].astype(np.float32)
        obj.intercept = w["intercept"].astype(np.float32)
        return obj


_WHITE = re.compile(r"\s\s+")


def _char_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """The character n-grams of sklearn's `analyzer="char"` (runs of white space read as one space)."""
    t = _WHITE.sub(" ", text)
    return [t[i:i + n] for n in range(lo, min(hi, len(t)) + 1) for i in range(len(t) - n + 1)]


def _tfidf_rows(docs, index: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """TfidfVectorizer(sublinear_tf=True, norm="l2").transform with a fixed vocabulary, without its costly
    KeyError per out-of-vocabulary n-gram, as CSR arrays (indptr, column ids sorted per row, float32 values):
    counts → 1 + log(count) → × idf → rows scaled to unit length. The sums are numpy's, in scipy's order
    (`np.add.reduceat` per row, as `csr_matrix.sum(axis=1)` did when these rows were a scipy matrix), so inference
    needs no scipy and training and inference share one computation."""
    get = index.get
    indptr, cols, counts = [0], [], []
    for feats in docs:
        ids = np.fromiter((i for i in map(get, feats) if i is not None), dtype=np.int64)
        u, c = np.unique(ids, return_counts=True)  # sorted, duplicates summed: csr_matrix.sum_duplicates
        cols.append(u)
        counts.append(c)
        indptr.append(indptr[-1] + len(u))
    ptr = np.asarray(indptr, dtype=np.int64)
    col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    data = (1.0 + np.log(np.concatenate(counts).astype(np.float64) if counts else np.zeros(0))) \
        * np.asarray(idf, dtype=np.float64)[col]
    norms = np.zeros(len(ptr) - 1, dtype=np.float64)
    filled = np.flatnonzero(np.diff(ptr))
    if len(filled):
        norms[filled] = np.add.reduceat(data * data, ptr[filled])
    norms = np.sqrt(norms)
    norms[norms == 0] = 1.0
    data /= np.repeat(norms, np.diff(ptr))
    return ptr, col, data.astype(np.float32)


def _ordered(vocabulary: dict[str, int]) -> list[str]:
    out = [""] * len(vocabulary)
    for term, i in vocabulary.items():
        out[i] = term
    return out


__all__ = ["LinearThemeModel", "char_text", "word_features"]
