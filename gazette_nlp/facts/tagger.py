"""FactTagger: every count/money candidate of the narrative → a quantity label, or O.

A logistic regression scores each (candidate, quantity a cue proposes) pair (`features.pair_features`); a
candidate takes its best pair's quantity when that pair's probability reaches the threshold, O otherwise.
Training uses scikit-learn; prediction only numpy (a vocabulary and a weight vector, no pickle).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .features import Site, pair_features

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Tagged:
    site: Site
    label: str  # a key of labels.LABELS; "O" for none
    probability: float


@dataclass
class FactTagger:
    vocab: dict[str, int] = field(default_factory=dict)
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    intercept: float = 0.0
    threshold: float = DEFAULT_THRESHOLD
    meta: dict = field(default_factory=dict)

    # -- training ---------------------------------------------------------------------------------------------
    @classmethod
    def fit(cls, sites: Sequence[Site], gold: Sequence[str], c: float = 1.0,
            threshold: float = DEFAULT_THRESHOLD) -> FactTagger:
        """`gold[i]` is the label of `sites[i]` ("O" for none). Candidates without a cue add no pair."""
        from sklearn.linear_model import LogisticRegression

        rows: list[dict[str, float]] = []
        ys: list[int] = []
        for site, label in zip(sites, gold):
            for lab, feats in pair_features(site.text, site.candidate):
                rows.append(feats)
                ys.append(int(lab == label))
        vocab = {name: i for i, name in enumerate(sorted({k for r in rows for k in r}))}
        x = _matrix(rows, vocab)
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(x, np.array(ys))
        return cls(vocab=vocab, weights=model.coef_[0].astype(np.float64), intercept=float(model.intercept_[0]),
                   threshold=threshold)

    # -- inference --------------------------------------------------------------------------------------------
    def predict(self, sites: Sequence[Site]) -> list[Tagged]:
        out: list[Tagged] = []
        for site in sites:
            pairs = pair_features(site.text, site.candidate)
            if not pairs:
                out.append(Tagged(site, "O", 0.0))
                continue
            scores = [self._score(f) for _, f in pairs]
            best = int(np.argmax(scores))
            p = float(scores[best])
            out.append(Tagged(site, pairs[best][0] if p >= self.threshold else "O", p))
        return out

    def _score(self, feats: dict[str, float]) -> float:
        z = self.intercept + sum(self.weights[self.vocab[k]] * v for k, v in feats.items() if k in self.vocab)
        return 1.0 / (1.0 + np.exp(-z))

    # -- persistence ------------------------------------------------------------------------------------------
    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocab, key=self.vocab.get)  # type: ignore[arg-type]
        (folder / "facts.json").write_text(json.dumps(
            {"features": names, "intercept": self.intercept, "threshold": self.threshold, **self.meta},
            ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        np.savez_compressed(folder / "weights.npz", weights=self.weights)

    @classmethod
    def load(cls, folder: str | Path) -> FactTagger:
        folder = Path(folder)
        data = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
        weights = np.load(folder / "weights.npz")["weights"]
        names = data.pop("features")
        return cls(vocab={n: i for i, n in enumerate(names)}, weights=weights,
                   intercept=float(data.pop("intercept")), threshold=float(data.pop("threshold")), meta=data)


def _matrix(rows: list[dict[str, float]], vocab: dict[str, int]):
    from scipy.sparse import csr_matrix

    data, indices, indptr = [], [], [0]
    for r in rows:
        for k, v in r.items():
            if k in vocab:
                indices.append(vocab[k])
                data.append(v)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab)))
