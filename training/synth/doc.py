"""The generator's working document: lines that remember what they are, then the record built from them.

Cells are tracked as character spans inside their line rather than as printed strings, so that every later
length-preserving rewrite (traditional characters, full-width digits, OCR noise) keeps them exact: the printed
token is read back from the final text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gazette_nlp.template import CELL_BY_ID


@dataclass(slots=True)
class Ln:
    text: str
    label: str | None = None  # None only for lines that are whitespace after all rewrites
    kind: str = ""  # title | preamble | section | sub | para | prose | table | furniture | signature | blank
    cells: list[list[Any]] = field(default_factory=list)  # [cell id, start, end]; start -1 = printed blank
    # (cell ids include t3.other_merged.* — numbers printed that are no template cell, see build_record)
    inferred: list[str] = field(default_factory=list)  # identity-forced cells of the row this line opens
    para: int = -1  # index into Doc.paragraphs
    section: str | None = None
    table: str | None = None
    block: int = -1  # table row id; page breaks cut between whole rows
    row_kind: str = ""  # caption | header | data
    key: str = ""  # table row key (t3 `granted` …)
    facts: list[list[Any]] = field(default_factory=list)  # [start, end, fact dict]: narrative_facts only

    def shift(self, by: int) -> None:
        for c in self.cells:
            if c[1] >= 0:
                c[1] += by
                c[2] += by
        for f in self.facts:
            f[0] += by
            f[1] += by

    def prepend(self, s: str) -> None:
        self.text = s + self.text
        self.shift(len(s))


def blank(text: str = "") -> Ln:
    return Ln(text, None, "blank")


@dataclass
class Doc:
    lines: list[Ln] = field(default_factory=list)
    paragraphs: list[dict[str, Any]] = field(default_factory=list)  # {section, themes}
    values: dict[str, Any] = field(default_factory=dict)
    corruptions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    template: str = "2021"

    def applied(self, name: str, note: str | None = None) -> None:
        if name not in self.corruptions:
            self.corruptions.append(name)
        if note:
            self.notes.append(f"{name}: {note}")

    def add_paragraph(self, section: str, themes: list[str]) -> int:
        self.paragraphs.append({"section": section, "themes": list(themes)})
        return len(self.paragraphs) - 1


def build_record(doc: Doc, seed: int) -> dict[str, Any]:
    texts = [ln.text for ln in doc.lines]
    text = "\n".join(texts) + "\n"
    if len(text.splitlines()) != len(texts):
        raise AssertionError("a generated line holds a line-break character")
    lines: list[dict[str, Any]] = []
    cells: dict[str, Any] = {}
    cell_lines: dict[str, int] = {}
    cell_spans: dict[str, list[int]] = {}
    inferred: list[str] = []
    para_lines: dict[int, list[int]] = {}
    for n, ln in enumerate(doc.lines, 1):
        if ln.text.strip():
            if ln.label is None:
                raise AssertionError(f"line {n} {ln.text!r} has no label")
            lines.append({"n": n, "text": ln.text, "label": ln.label})
        for cid, start, end in ln.cells:  # a printed blank may sit on a lone-tab line
            if start < 0:
                cells[cid] = None
                continue
            cells[cid] = doc.values[cid]
            cell_lines[cid] = n
            cell_spans[cid] = [start, end]
        for cid in ln.inferred:
            cells[cid] = doc.values[cid]
            inferred.append(cid)
        if ln.para >= 0 and ln.label == "narrative":
            para_lines.setdefault(ln.para, []).append(n)
    paragraphs = []
    for idx, ns in sorted(para_lines.items(), key=lambda kv: kv[1][0]):
        p = doc.paragraphs[idx]
        paragraphs.append({"n": ns[0], "section": p["section"], "themes": list(p["themes"]),
                           "text": "".join(texts[k - 1].strip() for k in ns)})
    # values printed that are no template cell (the merged （六）其他处理 row, t3.other_merged.*): listed apart
    extra = [c for c in cells if c not in CELL_BY_ID]
    extras = {"extra_cells": {c: cells.pop(c) for c in extra},
              "extra_cell_lines": {c: cell_lines.pop(c) for c in extra if c in cell_lines},
              "extra_cell_spans": {c: cell_spans.pop(c) for c in extra if c in cell_spans},
              "extra_inferred": [c for c in inferred if c in extra]} if extra else {}
    inferred = [c for c in inferred if c not in extra]
    order = sorted(cells, key=lambda c: CELL_BY_ID[c].index)
    if any(not p["themes"] for p in paragraphs):
        doc.notes.append("paragraphs with no applicable theme (meta text, '无') carry an empty themes list")
    return {
        "id": f"synth-{seed}",
        "source": f"synth-{seed}.txt",
        "text": text,
        "lines": lines,
        "cells": {c: cells[c] for c in order},
        "cell_lines": {c: cell_lines[c] for c in order if c in cell_lines},
        "cell_spans": {c: cell_spans[c] for c in order if c in cell_spans},
        "inferred_cells": sorted(inferred, key=lambda c: CELL_BY_ID[c].index),
        "paragraphs": paragraphs,
        "corruptions": list(doc.corruptions),
        "template": doc.template,
        "notes": list(doc.notes),
        **extras,
    }
