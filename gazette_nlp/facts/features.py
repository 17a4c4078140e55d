"""Features of (candidate, proposed quantity) pairs: where the cue stands and what surrounds the number.

The number's value is never a feature (a report's 81 says nothing about whether it is a fact); its unit, its
approximate marks and the characters right before and after it are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Line, Report
from .candidates import Candidate, extract_candidates
from .cues import Cue, covered, find_cues, has_cue


@dataclass(frozen=True)
class Site:
    """A count or money candidate on a narrative line; `printed_line` is the line number the record prints.
    `text` is the sentence of the line holding it: the candidate's offsets index `text`."""

    line: Line
    printed_line: int
    candidate: Candidate
    text: str = ""


_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
_DIGITS = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万]\s*[件起宗项条个名家篇次期份场]")


def narrative_sites(report: Report) -> list[Site]:
    """Every count/money candidate of the report's narrative lines, in reading order. Only sentences that
    print a number and hold a cue are read: the others can state no fact (most of a report's prose)."""
    sites: list[Site] = []
    for ln in report.lines:
        if ln.label != "narrative" or not _DIGITS.search(ln.text):
            continue
        printed = ln.printed_n or ln.n
        for m in _SENTENCE.finditer(ln.text):
            sentence = m.group(0)
            if not sentence or not _DIGITS.search(sentence) or not has_cue(sentence):
                continue
            sites.extend(Site(ln, printed, c, sentence) for c in extract_candidates(sentence, printed)
                         if c.can_be_fact)
    return sites


def _gap(n: int) -> str:
    return "0" if n == 0 else "1-2" if n <= 2 else "3-5" if n <= 5 else "6-10" if n <= 10 else ">10"


def context_features(text: str, cand: Candidate) -> dict[str, float]:
    """Label-independent: unit, approx, the characters around the number, the clause's length."""
    f: dict[str, float] = {"bias": 1.0, f"u={cand.unit}": 1.0, f"kind={cand.kind}": 1.0}
    if cand.approx:
        f["approx"] = 1.0
    left = text[max(cand.clause_start, cand.number_start - 6):cand.number_start]
    for i in range(len(left)):
        f[f"L1={left[i]}"] = 1.0
        if i + 1 < len(left):
            f[f"L2={left[i:i + 2]}"] = 1.0
    f[f"Lend={left[-2:]}"] = 1.0
    right = text[cand.end:cand.end + 4]
    f[f"R1={right[:1]}"] = 1.0
    f[f"R2={right[:2]}"] = 1.0
    before = text[max(0, cand.clause_start - 6):cand.clause_start]
    for i in range(len(before) - 1):
        f[f"P2={before[i:i + 2]}"] = 1.0
    f[f"clen={_gap(cand.number_start - cand.clause_start)}"] = 1.0
    return f


def pair_features(text: str, cand: Candidate) -> list[tuple[str, dict[str, float]]]:
    """One (label, features) per quantity a cue in the candidate's clause proposes; none: no cue, so O."""
    clause = text[cand.clause_start:cand.number_start]
    cues = find_cues(clause)
    best: dict[str, dict[str, float]] = {}
    if not cues:
        return []
    base = context_features(text, cand)
    last_end = max(c.end for c in cues)
    for cue in cues:
        f = dict(base)
        lab = cue.label
        gap = _gap(len(clause) - cue.end)
        after = {o.label for o in cues if o.start >= cue.end and o.label != lab}
        f.update({f"lab={lab}": 1.0, f"pat={lab}/{cue.pattern}": 1.0, f"gap={gap}": 1.0,
                  f"lab={lab}&gap={gap}": 1.0, f"lab={lab}&u={cand.unit}": 1.0,
                  f"lab={lab}&Lend={clause[-1:]}": 1.0, f"n_after={min(len(after), 3)}": 1.0})
        if cue.end == last_end:
            f["last"] = 1.0
            f[f"pat={lab}/{cue.pattern}&last"] = 1.0
        if covered(cue, cues):
            f["covered"] = 1.0
            f[f"lab={lab}&covered"] = 1.0
        for other in after:
            f[f"lab={lab}&after={other}"] = 1.0
        # several cues may propose one label (受理 … 申请): the pair holds what each of them says
        best.setdefault(lab, {}).update(f)
    return list(best.items())


__all__ = ["Site", "narrative_sites", "pair_features", "context_features", "Cue"]
