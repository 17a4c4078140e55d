"""Pre-filled annotation drafts in the gold format, for a person to correct: the fast path to more data."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import Report
from .themes import SCORED_SECTIONS

LOW_CONFIDENCE = 0.9


def annotation_draft(report: Report) -> dict[str, Any]:
    """The gold format (id, source, lines, cells, paragraphs, notes) with the model's answers filled in.

    `notes` lists what a person should look at first: lines and cells under 0.9 confidence, and every issue.
    """
    stem = Path(report.source).stem
    notes = [f"DRAFT by gazette_nlp: correct every label, cell and theme, then delete this line."]
    for ln in report.lines:
        if ln.label and ln.confidence is not None and ln.confidence < LOW_CONFIDENCE:
            notes.append(f"CHECK line {ln.n}: labelled {ln.label} with confidence {ln.confidence:.2f}")
    for cid, c in report.cells.items():
        if c.confidence < LOW_CONFIDENCE or c.origin == "inferred":
            notes.append(f"CHECK cell {cid} = {c.value!r} ({c.origin}, confidence {c.confidence:.2f}, line {c.line})")
    notes += [f"ISSUE {i.kind}: {i.message}" for i in report.issues]
    return {
        "id": stem,
        "source": Path(report.source).name,
        "lines": [{"n": ln.n, "text": ln.text, "label": ln.label} for ln in report.lines if not ln.blank],
        "cells": {cid: c.value for cid, c in report.cells.items()},
        "paragraphs": [{"n": p.n, "section": p.section, "themes": list(p.themes)} for p in report.paragraphs
                       if p.section in SCORED_SECTIONS],
        "notes": notes,
    }
