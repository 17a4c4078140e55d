"""`LineClassifier`: scikit-learn logistic regression over hashed character n-grams of the line and dense
layout features of the line and its neighbours (see `features.py`), then a second pass that reads the
first pass's probabilities of the neighbouring lines (a lone `0` between table rows is a table row).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from ..errors import ModelError
from ..model import LINE_LABELS, Report
from ..paths import model_path
from ..sections import segment_sections
from .features import document_features

FORMAT_VERSION = 1


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


class LineClassifier:
    """heading / table_row / narrative / other for every non-blank line of a report."""

    labels: tuple[str, ...] = LINE_LABELS

    def __init__(self, C: float = 4.0, n_features: int = 2 ** 16) -> None:
        self.C = C
        self.hasher = HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=n_features,
                                        alternate_sign=False, norm="l2", lowercase=False)
        self.scaler = StandardScaler()
        self.first = LogisticRegression(C=C, max_iter=3000)
        self.second = LogisticRegression(C=1.0, max_iter=3000)

    # ------------------------------------------------------------ features
    def features(self, report: Report) -> tuple[np.ndarray, list[str], list[int]]:
        dense, texts = document_features(report.lines, _section_of(report))
        idx = [ln.n for ln in report.lines if not ln.blank]
        return dense, texts, idx

    def _matrix(self, dense: np.ndarray, texts: list[str]) -> sparse.csr_matrix:
        clipped = [t[:48] + "\x00" + t[-12:] if len(t) > 60 else t for t in texts]
        return sparse.hstack([self.hasher.transform(clipped), sparse.csr_matrix(self.scaler.transform(dense))],
                             format="csr")

    # ------------------------------------------------------------ training
    def fit(self, reports: Sequence[Report], folds: int = 4) -> "LineClassifier":
        """Fit on reports whose non-blank lines carry gold labels (lines without a label are skipped)."""
        docs = []
        for r in reports:
            dense, texts, idx = self.features(r)
            y = [r.line(n).label for n in idx]
            docs.append((dense, texts, y))
        if not docs:
            raise ModelError("no training reports")
        self.scaler.fit(np.vstack([d for d, _, _ in docs]))
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
                oof[i] = self._proba(clf, mats[i])
        X, y = self._stack(mats, ys, range(len(docs)))
        self.first.fit(X, y)
        for i in range(len(docs)):
            if oof[i] is None:
                oof[i] = self._proba(self.first, mats[i])
        X2 = np.vstack([_neighbour_probs(p) for p in oof])
        y2 = np.concatenate(ys)
        keep = np.array([lab is not None for lab in y2])
        self.second.fit(X2[keep], y2[keep].astype(str))
        return self

    @staticmethod
    def _stack(mats, ys, ids):
        ids = list(ids)
        X = sparse.vstack([mats[i] for i in ids], format="csr")
        y = np.concatenate([ys[i] for i in ids])
        keep = np.array([lab is not None for lab in y])
        return X[keep], y[keep].astype(str)

    def _proba(self, clf: LogisticRegression, X) -> np.ndarray:
        p = clf.predict_proba(X)
        out = np.zeros((X.shape[0], len(self.labels)))
        for j, lab in enumerate(clf.classes_):
            out[:, self.labels.index(lab)] = p[:, j]
        return out

    # ------------------------------------------------------------ inference
    def predict_proba(self, report: Report) -> tuple[list[int], np.ndarray]:
        """(line numbers of the non-blank lines, probabilities in the order of `labels`)."""
        dense, texts, idx = self.features(report)
        if not idx:
            return [], np.zeros((0, len(self.labels)))
        p1 = self._proba(self.first, self._matrix(dense, texts))
        return idx, self._proba(self.second, _neighbour_probs(p1))

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
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        joblib.dump({"format": FORMAT_VERSION, "C": self.C, "hasher": self.hasher.get_params(),
                     "scaler": self.scaler, "first": self.first, "second": self.second}, p / "model.joblib",
                    compress=3)
        if card is not None:
            (p / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "LineClassifier":
        f = Path(path) / "model.joblib"
        if not f.is_file():
            raise ModelError(f"no line classifier at {path} (train one with `gazette-nlp train lines`)")
        try:
            state = joblib.load(f)
        except Exception as e:  # a truncated or foreign file: say so instead of a pickle traceback
            raise ModelError(f"cannot load line classifier {f}: {e}") from None
        if state.get("format") != FORMAT_VERSION:
            raise ModelError(f"{f} has format {state.get('format')}, expected {FORMAT_VERSION}")
        obj = cls(C=state["C"], n_features=state["hasher"]["n_features"])
        obj.hasher.set_params(**state["hasher"])
        obj.scaler, obj.first, obj.second = state["scaler"], state["first"], state["second"]
        return obj


@lru_cache(maxsize=4)
def _default(path: str) -> LineClassifier:
    return LineClassifier.load(path)


def classify_lines(report: Report, classifier: LineClassifier | None = None) -> Report:
    """Pipeline stage: label every non-blank line with the shipped (or given) classifier."""
    clf = classifier or _default(str(model_path("line_classifier")))
    return clf(report)
