"""`LineClassifier`: scikit-learn logistic regression over hashed character n-grams of the line and dense
layout features of the line and its neighbours (see `features.py`), then a second pass that reads the
first pass's probabilities of the neighbouring lines (a lone `0` between table rows is a table row).

scikit-learn fits it; the fitted model is kept and saved as plain arrays (`Softmax`, `weights.npz`) and
applied with numpy, so that parsing never imports scikit-learn (about 1.5 s of start-up). The n-grams are
hashed as scikit-learn's `HashingVectorizer` hashes them (MurmurHash3 through `mmh3`, `hashing.py`), and
`tests/test_lines.py` checks that the arrays give scikit-learn's probabilities.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..model import LINE_LABELS, Report
from ..paths import model_path
from ..sections import segment_sections
from .features import document_features
from .hashing import NGRAMS, NgramHasher

FORMAT_VERSION = 2


def _section_of(report: Report) -> list[str | None]:
    probe = Report(source=report.source, lines=report.lines)
    segment_sections(probe)
    out: list[str | None] = [None] * len(report.lines)
    for s in probe.sections:
        for n in range(s.start, s.end + 1):
            out[n - 1] = s.key
    return out


def _neighbour_probs(p: np.ndarray) -> np.ndarray:
    m, k = p.shape
    pad = np.vstack([np.zeros((2, k)), p, np.zeros((2, k))])
    return np.hstack([p, pad[1:m + 1], pad[3:m + 3], pad[0:m], pad[4:m + 4]])


@dataclass
class Softmax:
    """A fitted scikit-learn `LogisticRegression` as plain arrays: what inference and the saved model need."""

    coef: np.ndarray  # (classes, features); one row for two classes
    intercept: np.ndarray
    classes: tuple[str, ...]

    @classmethod
    def of(cls, clf: Any) -> "Softmax":
        return cls(np.asarray(clf.coef_, dtype=np.float64), np.asarray(clf.intercept_, dtype=np.float64),
                   tuple(str(c) for c in clf.classes_))

    def proba(self, z: np.ndarray) -> np.ndarray:
        """Probabilities from decision values `z` (features @ coef.T + intercept), as `predict_proba` gives them."""
        if self.coef.shape[0] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.column_stack([1.0 - p, p])
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


class LineClassifier:
    """heading / table_row / narrative / other for every non-blank line of a report."""

    labels: tuple[str, ...] = LINE_LABELS

    def __init__(self, C: float = 4.0, n_features: int = 2 ** 16) -> None:
        self.C = C
        self.hasher = NgramHasher(n_features, NGRAMS)
        self.mean: np.ndarray | None = None  # the dense features' standardisation
        self.scale: np.ndarray | None = None
        self.first: Softmax | None = None
        self.second: Softmax | None = None

    # ------------------------------------------------------------ features
    def features(self, report: Report) -> tuple[np.ndarray, list[str], list[int]]:
        dense, texts = document_features(report.lines, _section_of(report))
        idx = [ln.n for ln in report.lines if not ln.blank]
        return dense, texts, idx

    @staticmethod
    def _clip(texts: list[str]) -> list[str]:
        return [t[:48] + "\x00" + t[-12:] if len(t) > 60 else t for t in texts]

    def _scaled(self, dense: np.ndarray) -> np.ndarray:
        x = np.asarray(dense, dtype=np.float32)  # as StandardScaler.transform: float32, with float32 statistics
        return (x - self.mean.astype(np.float32)) / self.scale.astype(np.float32)

    def _matrix(self, dense: np.ndarray, texts: list[str]) -> Any:
        """The scikit-learn design matrix (training): hashed n-grams, then the scaled dense features."""
        from scipy import sparse

        rows, cols, vals = self.hasher.rows(self._clip(texts))
        hashed = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), self.hasher.n_features))
        return sparse.hstack([hashed, sparse.csr_matrix(self._scaled(dense))], format="csr")

    def _first_proba(self, dense: np.ndarray, texts: list[str]) -> np.ndarray:
        """The first pass without a design matrix: the hashed part is a gather of coefficient columns."""
        m, h = len(texts), self.hasher.n_features
        coef = self.first.coef
        z = self._scaled(dense).astype(np.float64) @ coef[:, h:].T + self.first.intercept
        rows, cols, vals = self.hasher.rows(self._clip(texts))
        if len(rows):
            contrib = coef[:, cols].T * vals[:, None]  # (entries, classes)
            np.add.at(z, rows, contrib)
        return self._ordered(self.first, self.first.proba(z), m)

    def _ordered(self, model: Softmax, p: np.ndarray, m: int) -> np.ndarray:
        out = np.zeros((m, len(self.labels)))
        for j, lab in enumerate(model.classes):
            out[:, self.labels.index(lab)] = p[:, j]
        return out

    # ------------------------------------------------------------ training
    def fit(self, reports: Sequence[Report], folds: int = 4) -> "LineClassifier":
        """Fit on reports whose non-blank lines carry gold labels (lines without a label are skipped)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        docs = []
        for r in reports:
            dense, texts, idx = self.features(r)
            y = [r.line(n).label for n in idx]
            docs.append((dense, texts, y))
        if not docs:
            raise ModelError("no training reports")
        scaler = StandardScaler().fit(np.vstack([d for d, _, _ in docs]))
        self.mean, self.scale = scaler.mean_, scaler.scale_
        mats = [self._matrix(d, t) for d, t, _ in docs]
        ys = [np.array(y, dtype=object) for _, _, y in docs]
        # out-of-fold first-pass probabilities, so the second pass learns from honest neighbours
        fold_of = np.arange(len(docs)) % folds
        oof: list[np.ndarray | None] = [None] * len(docs)
        for f in range(folds):
            tr = [i for i in range(len(docs)) if fold_of[i] != f]
            te = [i for i in range(len(docs)) if fold_of[i] == f]
            if not tr or not te:
                continue
            clf = LogisticRegression(C=self.C, max_iter=3000)
            X, y = self._stack(mats, ys, tr)
            clf.fit(X, y)
            for i in te:
                oof[i] = self._ordered(Softmax.of(clf), clf.predict_proba(mats[i]), mats[i].shape[0])
        X, y = self._stack(mats, ys, range(len(docs)))
        self.first = Softmax.of(LogisticRegression(C=self.C, max_iter=3000).fit(X, y))
        for i, (dense, texts, _) in enumerate(docs):
            if oof[i] is None:
                oof[i] = self._first_proba(dense, texts)
        X2 = np.vstack([_neighbour_probs(p) for p in oof])
        y2 = np.concatenate(ys)
        keep = np.array([lab is not None for lab in y2])
        self.second = Softmax.of(LogisticRegression(C=1.0, max_iter=3000).fit(X2[keep], y2[keep].astype(str)))
        return self

    @staticmethod
    def _stack(mats, ys, ids):
        from scipy import sparse

        ids = list(ids)
        X = sparse.vstack([mats[i] for i in ids], format="csr")
        y = np.concatenate([ys[i] for i in ids])
        keep = np.array([lab is not None for lab in y])
        return X[keep], y[keep].astype(str)

    # ------------------------------------------------------------ inference
    def predict_proba(self, report: Report) -> tuple[list[int], np.ndarray]:
        """(line numbers of the non-blank lines, probabilities in the order of `labels`)."""
        if self.first is None or self.second is None:
            raise ModelError("the line classifier is not fitted")
        dense, texts, idx = self.features(report)
        if not idx:
            return [], np.zeros((0, len(self.labels)))
        ctx = _neighbour_probs(self._first_proba(dense, texts))
        return idx, self._ordered(self.second, self.second.proba(ctx @ self.second.coef.T + self.second.intercept),
                                  len(idx))

    def predict(self, report: Report) -> list[tuple[int, str, float]]:
        idx, p = self.predict_proba(report)
        best = p.argmax(axis=1) if len(idx) else []
        return [(n, self.labels[b], float(p[j, b])) for j, (n, b) in enumerate(zip(idx, best))]

    def __call__(self, report: Report) -> Report:
        for n, label, conf in self.predict(report):
            line = report.line(n)
            line.label, line.confidence = label, conf
        return report

    # ------------------------------------------------------------ persistence
    def save(self, path: str | Path, card: dict | None = None) -> None:
        """Plain data, no pickle: `model.json` (settings, classes) and `weights.npz` (arrays, float64)."""
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        (p / "model.json").write_text(json.dumps(
            {"format": FORMAT_VERSION, "C": self.C, "n_features": self.hasher.n_features,
             "ngram_range": list(self.hasher.ngram_range), "first_classes": list(self.first.classes),
             "second_classes": list(self.second.classes)}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        np.savez_compressed(p / "weights.npz", mean=self.mean, scale=self.scale, first_coef=self.first.coef,
                            first_intercept=self.first.intercept, second_coef=self.second.coef,
                            second_intercept=self.second.intercept)
        if card is not None:
            (p / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "LineClassifier":
        p = Path(path)
        if not (p / "model.json").is_file() or not (p / "weights.npz").is_file():
            raise ModelError(f"no line classifier at {path} (train one with `gazette-nlp train lines`)")
        try:
            state = json.loads((p / "model.json").read_text(encoding="utf-8"))
            w = dict(np.load(p / "weights.npz"))
        except Exception as e:  # a truncated or foreign file: one line, not a traceback
            raise ModelError(f"cannot load line classifier {p}: {e}") from None
        if state.get("format") != FORMAT_VERSION:
            raise ModelError(f"{p} has format {state.get('format')}, expected {FORMAT_VERSION}")
        obj = cls(C=state["C"], n_features=state["n_features"])
        obj.hasher = NgramHasher(state["n_features"], tuple(state["ngram_range"]))
        obj.mean, obj.scale = w["mean"], w["scale"]
        obj.first = Softmax(w["first_coef"], w["first_intercept"], tuple(state["first_classes"]))
        obj.second = Softmax(w["second_coef"], w["second_intercept"], tuple(state["second_classes"]))
        return obj


@lru_cache(maxsize=4)
def _default(path: str) -> LineClassifier:
    return LineClassifier.load(path)


def classify_lines(report: Report, classifier: LineClassifier | None = None) -> Report:
    """Pipeline stage: label every non-blank line with the shipped (or given) classifier."""
    clf = classifier or _default(str(model_path("line_classifier")))
    return clf(report)
