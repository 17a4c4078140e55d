"""SpanFactTagger: a spaCy `spancat` that scores every count/money candidate's clause for each quantity label.

`spacy.blank("zh")` with the jieba segmenter; a sentence becomes a `Doc` cut by `candidates.words`, so each
candidate's number is one token. The suggester proposes exactly one span per candidate: from the first token of
its clause to its number (`全年共受理政府信息公开申请` + `128`), so the span classifier sees the words that name the
quantity, pooled, and the tok2vec context around the number. Only sentences that hold a count or money candidate
reach it (`narrative_sites` already keeps only those), which bounds its cost on a parse.

Scores are per label (sigmoid); `FactTagger` may use them as a feature, and `predict` here tags alone. `save`
also writes the spancat's array export, which the parse runs without spaCy (`spancat_arrays.ArraySpanTagger`).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..spacy_import import import_spacy_without_torch

import_spacy_without_torch()  # before the first spaCy import: see spacy_import.py

import spacy  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402
from spacy.util import registry  # noqa: E402
from thinc.api import Ragged, get_current_ops  # noqa: E402

from ..jieba_dict import load_jieba_dictionary  # noqa: E402
from .features import Site  # noqa: E402
from .span_inputs import MARGIN, SpanInput, scores_by_site, span_inputs  # noqa: E402
from .spancat_arrays import ARRAYS, SpancatArrays  # noqa: E402
from .tagger import Tagged  # noqa: E402

SPANS_KEY = "facts"
CANDIDATES_KEY = "fact_candidates"
SUGGESTER = "gazette_nlp.fact_candidates.v1"
DEFAULT_THRESHOLD = 0.5


@registry.misc(SUGGESTER)
def make_candidate_suggester():
    """The spans `sentence_docs` stored: one per candidate (spaCy's n-gram suggester would propose thousands)."""

    def suggest(docs: Iterable[Doc], *, ops=None) -> Ragged:
        ops = ops or get_current_ops()
        spans: list[tuple[int, int]] = []
        lengths: list[int] = []
        for doc in docs:
            group = doc.spans[CANDIDATES_KEY] if CANDIDATES_KEY in doc.spans else []
            spans.extend((s.start, s.end) for s in group)
            lengths.append(len(group))
        data = ops.asarray2i(spans) if spans else ops.xp.zeros((0, 2), dtype="i")
        return Ragged(data, ops.asarray1i(lengths))

    return suggest


def blank_nlp():
    load_jieba_dictionary()  # before spaCy's tokenizer asks jieba to load it the slow way
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def sentence_docs(vocab, sites: Sequence[Site]) -> tuple[list[Doc], list[tuple[int, int]]]:
    """One Doc per sentence holding sites (`span_inputs`), and per site (doc index, span index in
    doc.spans[CANDIDATES_KEY])."""
    units, where = span_inputs(sites)
    return [unit_doc(vocab, u) for u in units], where


def unit_doc(vocab, unit: SpanInput) -> Doc:
    doc = Doc(vocab, words=unit.words, spaces=[False] * len(unit.words))
    for tok, norm in zip(doc, unit.norms):
        if norm is not None:
            tok.norm_ = norm
    doc.spans[CANDIDATES_KEY] = [Span(doc, a, b) for a, b in unit.spans]
    return doc


@dataclass
class SpanFactTagger:
    nlp: Any = None
    threshold: float = DEFAULT_THRESHOLD
    meta: dict = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.nlp.get_pipe("spancat").labels)

    # -- training ---------------------------------------------------------------------------------------------
    @classmethod
    def fit(cls, sites: Sequence[Site], gold: Sequence[str], epochs: int = 8, seed: int = 0,
            width: int = 32, threshold: float = DEFAULT_THRESHOLD) -> SpanFactTagger:
        """`gold[i]` the label of `sites[i]` ("O" for none); every candidate is a suggested span."""
        import random

        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        fix_random_seed(seed)
        nlp = blank_nlp()
        nlp.add_pipe("spancat", config={
            "spans_key": SPANS_KEY, "suggester": {"@misc": SUGGESTER}, "max_positive": 1, "threshold": threshold,
            "model": {"@architectures": "spacy.SpanCategorizer.v1",
                      "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": 64},
                      "scorer": {"@layers": "spacy.LinearLogistic.v1"},
                      "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None,
                                  "width": width, "depth": 2, "embed_size": 2000, "window_size": 1,
                                  "maxout_pieces": 3, "subword_features": True}}})
        docs, where = sentence_docs(nlp.vocab, sites)
        gold_docs = [d.copy() for d in docs]
        facts: dict[int, list[Span]] = {}
        for (d, k), label in zip(where, gold):
            if label != "O":
                cand = docs[d].spans[CANDIDATES_KEY][k]
                facts.setdefault(d, []).append(Span(gold_docs[d], cand.start, cand.end, label))
        for d, g in enumerate(gold_docs):
            g.spans[SPANS_KEY] = sorted({(s.start, s.end): s for s in facts.get(d, [])}.values(),
                                        key=lambda s: s.start)
        examples = [Example(d, g) for d, g in zip(docs, gold_docs)]
        rng = random.Random(seed)
        optimizer = nlp.initialize(lambda: examples)
        for _ in range(epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=32):
                nlp.update(batch, sgd=optimizer, drop=0.1)
        return cls(nlp=nlp, threshold=threshold)

    # -- inference --------------------------------------------------------------------------------------------
    def scores(self, sites: Sequence[Site]) -> list[dict[str, float]]:
        """Per site, every label's probability."""
        if not sites:
            return []
        spancat = self.nlp.get_pipe("spancat")
        docs, where = sentence_docs(self.nlp.vocab, sites)
        indices, matrix = spancat.predict(docs)
        ops = spancat.model.ops
        return scores_by_site(ops.to_numpy(matrix), ops.to_numpy(indices.lengths), where, self.labels)

    def predict(self, sites: Sequence[Site]) -> list[Tagged]:
        out = []
        for site, sc in zip(sites, self.scores(sites)):
            label, p = max(sc.items(), key=lambda kv: kv[1]) if sc else ("O", 0.0)
            out.append(Tagged(site, label if p >= self.threshold else "O", p))
        return out

    # -- persistence ------------------------------------------------------------------------------------------
    def save(self, folder: str | Path) -> None:
        import json

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.nlp.to_disk(folder / "nlp", exclude=["tokenizer"])
        SpancatArrays.from_nlp(self.nlp).save(folder / ARRAYS)  # what the parse runs, without spaCy
        (folder / "span_tagger.json").write_text(json.dumps({"threshold": self.threshold, **self.meta},
                                                            ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: str | Path) -> SpanFactTagger:
        import json

        folder = Path(folder)
        data = json.loads((folder / "span_tagger.json").read_text(encoding="utf-8"))
        load_jieba_dictionary()  # spaCy's Chinese tokenizer initialises jieba even when excluded: our fast cache first
        nlp = spacy.load(folder / "nlp", exclude=["tokenizer"])
        return cls(nlp=nlp, threshold=float(data.pop("threshold")), meta=data)
