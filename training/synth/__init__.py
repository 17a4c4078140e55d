"""Synthetic 政府信息公开工作年度报告: complete reports rendered from the template, with every line, cell and
paragraph labelled per ../shared/spec/annotation.md, in the layouts and corruptions real extractions show.

    from training.synth import generate_report, generate_corpus, CORRUPTIONS
    rec = generate_report(7, corruptions=["lost_rows", "one_cell_per_line"])

`python -m training.synth --n 500 --seed 0 --out runs/synth.jsonl` writes a corpus as JSONL.
"""
from __future__ import annotations

from .charmap import corrupt_text
from .corruptions import CORRUPTIONS, LAYOUTS, PROBS
from .generator import generate_corpus, generate_report

__all__ = ["CORRUPTIONS", "LAYOUTS", "PROBS", "corrupt_text", "generate_corpus", "generate_report"]
