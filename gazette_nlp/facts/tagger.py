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
from typing import Any

import numpy as np

from .features import Site, pair_features

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Tagged:
    site: Site
    label: str  # a key of labels.LABELS; "O" for none
    probability: float
    pairs: dict[str, float] | None = field(default=None, compare=False)  # every proposed label's probability


def combine(tagged: Tagged, span_scores: dict[str, float], weight: float) -> Tagged:
    """The LR's pairs re-scored as (1 - weight) * LR + weight * span score; only cue-proposed labels compete, so
    the span component can rank the LR's proposals but not invent a quantity no cue names."""
    if not tagged.pairs:
        return Tagged(tagged.site, "O", 0.0, tagged.pairs)
    mixed = {lab: (1 - weight) * p + weight * span_scores.get(lab, 0.0) for lab, p in tagged.pairs.items()}
    label = max(mixed, key=mixed.get)  # type: ignore[arg-type]
    return Tagged(tagged.site, label, mixed[label], tagged.pairs)


@dataclass
class FactTagger:
    vocab: dict[str, int] = field(default_factory=dict)
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    intercept: float = 0.0
    threshold: float = DEFAULT_THRESHOLD
    meta: dict = field(default_factory=dict)
    span: Any = None  # a span tagger (spaCy-trained spancat) whose scores are mixed in (`combine`), or None
    span_weight: float = 0.0
    span_band: tuple[float, float] = (0.0, 1.0)  # LR probabilities for which the span tagger is asked

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
            out.append(Tagged(site, pairs[best][0], p, {lab: float(s) for (lab, _), s in zip(pairs, scores)}))
        if self.span is not None and self.span_weight > 0:
            # only candidates a cue proposes a quantity for, and whose LR probability is in the band, reach the
            # span tagger; the others keep the LR's decision (what it costs is paid per sentence sent)
            lo, hi = self.span_band
            proposed = [i for i, t in enumerate(out) if t.pairs and lo <= t.probability <= hi]
            for i, sc in zip(proposed, self.span.scores([out[i].site for i in proposed])):
                out[i] = combine(out[i], sc, self.span_weight)
        return [t if t.probability >= self.threshold else Tagged(t.site, "O", t.probability, t.pairs) for t in out]

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
        name = self.meta.get("span_model")
        if self.span is not None and name and not (folder.parent / name).exists():
            self.span.save(folder / name)  # saved elsewhere than beside the shipped models: kept inside

    @classmethod
    def load(cls, folder: str | Path) -> FactTagger:
        folder = Path(folder)
        data = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
        weights = np.load(folder / "weights.npz")["weights"]
        names = data.pop("features")
        span, weight = None, float(data.get("span_weight", 0.0))
        if data.get("span_model") and weight > 0:  # a sibling model folder (models/fact_spans), or inside
            inside = folder / data["span_model"]
            span = LazySpanTagger(inside if inside.exists() else folder.parent / data["span_model"])
        return cls(vocab={n: i for i, n in enumerate(names)}, weights=weights,
                   intercept=float(data.pop("intercept")), threshold=float(data.pop("threshold")), meta=data,
                   span=span, span_weight=weight, span_band=tuple(data.get("span_band", (0.0, 1.0))))


class LazySpanTagger:
    """The span tagger, loaded when a candidate first reaches it (about four reports in five have none in the
    uncertain band). It runs the spancat's array export (`spancat_arrays.py`) without importing spaCy; a model
    saved without the export runs on its spaCy pipeline."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        if not (self.folder / "nlp").is_dir():
            raise FileNotFoundError(f"no span fact tagger at {self.folder}")
        self._tagger: Any = None

    @property
    def tagger(self) -> Any:
        if self._tagger is None:
            from .spancat_arrays import ArraySpanTagger, has_arrays

            if has_arrays(self.folder):
                self._tagger = ArraySpanTagger.load(self.folder)
            else:
                from .span_tagger import SpanFactTagger

                self._tagger = SpanFactTagger.load(self.folder)
        return self._tagger

    def scores(self, sites: Sequence[Site]) -> list[dict[str, float]]:
        return self.tagger.scores(sites)

    def save(self, folder: str | Path) -> None:
        """A copy of the model folder, whichever runtime has been loaded."""
        import shutil

        shutil.copytree(self.folder, folder, dirs_exist_ok=True)


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
