"""Narrative facts: numbers in prose that state a template quantity (../shared/spec/facts.md).

candidates (rules: every number, its value and clause) → FactTagger (trained: which quantity, or O) → link
(rules over the template: cells, readings of 受理 / 公开, inherited rows and subjects) → check (`agrees`,
`narrative_mismatch` issues). `extract_facts` is the pipeline stage.
"""
from __future__ import annotations

from .candidates import FACT_KINDS, Candidate, chinese_number, extract_candidates, words
from .features import Site, narrative_sites
from .link import check, link
from .stage import extract_facts, load_tagger
from .tagger import FactTagger, Tagged

__all__ = ["FACT_KINDS", "Candidate", "FactTagger", "Site", "Tagged", "check", "chinese_number",
           "extract_candidates", "extract_facts", "link", "load_tagger", "narrative_sites", "words"]
