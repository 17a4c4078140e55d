"""What the span fact tagger reads, built without spaCy: one `SpanInput` per sentence holding candidates.

Both runtimes read these: the spaCy pipeline (training, `runtime="spacy"`) turns each into a `Doc`, the array
runtime (`spancat_arrays.py`, the parse's default) computes on them directly, so the two cannot drift apart.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .candidates import words
from .cues import find_cues
from .features import Site

MARGIN = 6  # characters kept before the first clause and after the last candidate of a sentence
NUM_NORM = "<num>"


@dataclass
class SpanInput:
    """A sentence cut into tokens (`words`, concatenated they give the text back); `norms[i]` the token's NORM
    where it is not the word's own (`<num>`, `<label>`); `spans` the candidates' token ranges [start, end)."""
    words: list[str]
    norms: list[str | None]
    spans: list[tuple[int, int]]


def span_inputs(sites: Sequence[Site]) -> tuple[list[SpanInput], list[tuple[int, int]]]:
    """One input per sentence holding sites, and per site (input index, span index in its `spans`)."""
    groups: dict[tuple[int, str], list[int]] = {}
    for i, s in enumerate(sites):
        groups.setdefault((id(s.line), s.text), []).append(i)
    inputs: list[SpanInput] = []
    where: list[tuple[int, int]] = [(-1, -1)] * len(sites)
    for (_, sentence), idx in groups.items():
        cands = sorted({(sites[i].candidate.number_start, sites[i].candidate) for i in idx},
                       key=lambda x: x[0])
        # the network sees a span's tokens and MARGIN characters around the candidates' clauses: the rest of a
        # long sentence cannot reach the spans through two CNN layers of window 1, and would only cost time
        lo = max(0, min(c.clause_start for _, c in cands) - MARGIN)
        hi = min(len(sentence), max(c.end for _, c in cands) + MARGIN)
        text = sentence[lo:hi]
        cands = [(at - lo, replace(c, start=c.start - lo, end=c.end - lo, number_start=c.number_start - lo,
                                   number_end=c.number_end - lo, clause_start=c.clause_start - lo))
                 for at, c in cands]
        tokens, ranges = words(text, [c for _, c in cands])
        starts = _offsets(tokens)
        spans = []
        by_start: dict[int, int] = {}
        for (_, cand), (first, last) in zip(cands, ranges):
            clause_tok = next((k for k, at in enumerate(starts) if at >= cand.clause_start), first)
            by_start[cand.number_start] = len(spans)
            spans.append((min(clause_tok, first), last))
        for i in idx:
            where[i] = (len(inputs), by_start[sites[i].candidate.number_start - lo])
        inputs.append(SpanInput(tokens, _norms(tokens, starts, text, ranges), spans))
    return inputs, where


def scores_by_site(matrix: Any, spans_per_unit: Sequence[int], where: Sequence[tuple[int, int]],
                   labels: Sequence[str]) -> list[dict[str, float]]:
    """Per site, {label: probability} from a (spans × labels) matrix whose rows are the units' spans in order."""
    offsets = [0]
    for n in spans_per_unit:
        offsets.append(offsets[-1] + int(n))
    return [dict(zip(labels, map(float, matrix[offsets[d] + k]))) for d, k in where]


def _offsets(tokens: Sequence[str]) -> list[int]:
    out, at = [], 0
    for t in tokens:
        out.append(at)
        at += len(t)
    return out


def _norms(tokens: Sequence[str], starts: Sequence[int], text: str,
           number_ranges: list[tuple[int, int]]) -> list[str | None]:
    """NORM carries what the value and the cue say, not the digits: numbers become `<num>` (a report's 81 says
    nothing about being a fact) and the words of a cue `<label>` of the quantity it names (the cues are the
    template's row words; with ~130 real facts the network cannot learn them all from scratch). PREFIX and
    SUFFIX still hold the words themselves."""
    norms: list[str | None] = [None] * len(tokens)
    for first, last in number_ranges:
        for k in range(first, last):
            norms[k] = NUM_NORM
    marked: set[int] = set()
    for cue in sorted(find_cues(text), key=lambda c: c.start - c.end):  # longest cue first
        for k in _expand(starts, tokens, cue.start, cue.end):  # spaCy's char_span(alignment_mode="expand")
            if k not in marked and norms[k] != NUM_NORM:
                norms[k] = f"<{cue.label}>"
                marked.add(k)
    return norms


def _expand(starts: Sequence[int], tokens: Sequence[str], start: int, end: int) -> range:
    """The tokens that overlap the characters [start, end)."""
    first = next((k for k, (a, t) in enumerate(zip(starts, tokens)) if a + len(t) > start), len(tokens))
    last = next((k for k in range(len(tokens) - 1, -1, -1) if starts[k] < end), -1)
    return range(first, last + 1)
