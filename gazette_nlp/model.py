"""The document model: one `Report` that every pipeline stage reads and returns richer.

`Report.to_json()` writes the output contract (see README, "Output contract"):
`source`, `lines` [n, text, label, page?, ocr_confidence?], `cells` {id: {value, line, confidence, origin, raw}},
`paragraphs` [n, section, text, themes], `issues`, `facts` [line, text, value, cells, agrees], `meta`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

LINE_LABELS: tuple[str, ...] = ("heading", "table_row", "narrative", "other")
LineLabel = Literal["heading", "table_row", "narrative", "other"]
Origin = Literal["read", "inferred"]
Number = int | float


@dataclass
class Line:
    """One line of the extracted text. `n` is 1-based in `text.splitlines()`; `text` is never altered."""

    n: int
    text: str
    norm: str = ""  # normalised copy for matching (simplified, half-width, markup stripped)
    label: str | None = None
    confidence: float | None = None
    page: int | None = None
    ocr_confidence: float | None = None  # lowest OCR score on the line; None when the text was not OCR'd
    printed_n: int | None = None  # a virtual line cut from a printed one (`resegment`): the printed line's n
    glued: bool = False  # cut from a line that lost its breaks: its digit runs may hold several cells

    @property
    def blank(self) -> bool:
        return not self.norm.strip()


def _line_json(ln: Line) -> dict[str, Any]:
    """n, text, label; `page` and `ocr_confidence` only where the reader knows them (PDF, OCR)."""
    out: dict[str, Any] = {"n": ln.n, "text": ln.text, "label": ln.label}
    if ln.page is not None:
        out["page"] = ln.page
    if ln.ocr_confidence is not None:
        out["ocr_confidence"] = round(ln.ocr_confidence, 4)
    return out


@dataclass
class Section:
    """A top-level section 一…六, or `preamble` before 一. Lines `start`..`end` inclusive."""

    key: str
    start: int
    end: int
    heading: int | None = None  # line of its heading; None when the heading was lost and inferred from content
    title: str = ""


@dataclass
class Cell:
    id: str
    value: Number | None
    line: int | None = None
    confidence: float = 1.0
    origin: Origin = "read"
    raw: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "line": self.line, "confidence": round(self.confidence, 4),
                "origin": self.origin, "raw": self.raw}


@dataclass
class Paragraph:
    n: int
    section: str
    text: str
    lines: list[int] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "section": self.section, "text": self.text, "themes": list(self.themes)}


@dataclass
class Issue:
    """Something a user must see: an identity that fails, rows that are missing, a cell of low confidence."""

    kind: str  # identity_violation | missing_rows | low_confidence | unfilled_cells | not_a_report | …
    message: str
    cells: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    identity: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.identity:
            out["identity"] = self.identity
        if self.cells:
            out["cells"] = list(self.cells)
        if self.lines:
            out["lines"] = list(self.lines)
        return out


@dataclass
class Fact:
    """A number in a narrative line that states template cells (../shared/spec/facts.md)."""

    line: int
    text: str
    value: Number
    cells: list[str]
    agrees: bool | None
    approx: bool = False
    label: str = ""  # the quantity the tagger named (facts.md leaves it out of the record)
    alternatives: list[list[str]] = field(default_factory=list)  # other readings the text leaves open
    reading: str | None = None  # "undecided" where the text does not decide between readings

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "text": self.text, "value": self.value, "cells": list(self.cells),
                               "agrees": self.agrees}
        if self.approx:
            out["approx"] = True
        if self.reading:
            out["reading"] = self.reading
            out["alternatives"] = [list(a) for a in self.alternatives]
        return out


@dataclass
class Report:
    source: str
    lines: list[Line] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    cells: dict[str, Cell] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    # the lines as printed while the stages read a re-segmented view of them (`resegment`); None otherwise
    printed_lines: list[Line] | None = None

    def line(self, n: int) -> Line:
        return self.lines[n - 1]

    def section_of(self, n: int) -> str | None:
        for s in self.sections:
            if s.start <= n <= s.end:
                return s.key
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "lines": [_line_json(ln) for ln in self.lines if not ln.blank],
            "cells": {cid: c.to_json() for cid, c in self.cells.items()},
            "paragraphs": [p.to_json() for p in self.paragraphs],
            "issues": [i.to_json() for i in self.issues],
            "facts": [f.to_json() for f in self.facts],
            "meta": self.meta,
        }

    def to_jsonl(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)
