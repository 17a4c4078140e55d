"""Narrative facts: numbers in prose that state a template quantity (../shared/spec/facts.md).

So far only the candidate extractor (`candidates.py`); the classifier, linking and checking are designed in
training/annotations/facts/DESIGN.md and not wired into the pipeline yet.
"""
from __future__ import annotations

from .candidates import FACT_KINDS, Candidate, chinese_number, extract_candidates, words

__all__ = ["FACT_KINDS", "Candidate", "chinese_number", "extract_candidates", "words"]
