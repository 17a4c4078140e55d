"""Rendering table rows into lines the way real extractions print them.

* `tab`: one row per line, fields joined by tabs (001-004), empties of merged cells kept as empty fields.
* `cells`: one field per line (000: tab-indented, blank line between rows, lone-tab lines for empty fields;
  P015: no indent, a blank line after every cell).
* `pipe_rows`: `信息内容 | 本年制发件数 | … |` with empties as bare `|` (P009), or markdown `| a | b |` rows.
* `pipe_cells`: `规章 |` then `0 |` one per line, a run of empty fields as one `|||` line (P007).
A field holding a newline (a split header word) breaks its line there in every layout.
The layouts of real publishers (`pdf`, `mdgroups`, `glued`) live in `layouts_real.py`.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from .doc import Ln
from .tables import Field, Row


@dataclass
class LayoutOpts:
    kind: str  # tab | cells | pipe_rows | markdown | pipe_cells | pdf | mdgroups | glued
    indent: str = "\t"  # cells: prefix of every cell line
    blank_rows: bool = True  # cells / pipe_cells: blank line between rows
    blank_cells: bool = False  # a blank line after every cell (P015)
    stray_blank: float = 0.0  # tab / pipe_rows: chance of a blank line between rows
    rates: dict[str, float] = field(default_factory=dict)  # real layouts: how often each irregularity shows
    stats: dict[str, int] = field(default_factory=dict)  # real layouts: what the renderer did (for the notes)


class _Builder:
    """Accumulates text pieces into lines, remembering where each cell's number starts and ends."""

    def __init__(self, out: list[Ln], row: Row, block: int) -> None:
        self.out, self.row, self.block = out, row, block
        self.cur, self.cells = "", []
        self.first = True

    def add(self, text: str, f: Field | None = None) -> None:
        if f is not None and f.blank:
            self.cells.append([f.cell, -1, -1])
            f = None  # its text is structure (`|`, or nothing), not a number
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                self.newline()
            if f is not None and f.cell and not f.blank and i == 0:
                self.cells.append([f.cell, len(self.cur), len(self.cur) + len(part)])
            self.cur += part

    def line(self, prefix: str, f: Field) -> None:
        """One whole line `prefix + field` (the common case, without the piecewise bookkeeping)."""
        if "\n" in f.text:
            self.add(prefix)
            self.add(f.text, f if f.value else None)
            self.newline()
            return
        if f.value and f.cell:
            self.cells.append([f.cell, -1, -1] if f.blank else [f.cell, len(prefix), len(prefix) + len(f.text)])
        self.cur = prefix + f.text
        self.newline()

    def newline(self) -> None:
        ln = Ln(self.cur, "table_row" if self.cur.strip() else None, "table", cells=self.cells, table=self.row.table,
                block=self.block, row_kind=self.row.kind, key=self.row.key)
        if self.first:
            ln.inferred = list(self.row.inferred)
            self.first = False
        self.out.append(ln)
        self.cur, self.cells = "", []

    def blank(self) -> None:
        self.out.append(Ln("", None, "blank", table=self.row.table, block=self.block, row_kind=self.row.kind,
                           key=self.row.key))


def _tab(b: _Builder, row: Row) -> None:
    if any("\n" in f.text for f in row.fields):
        for i, f in enumerate(row.fields):
            if i:
                b.add("\t")
            b.add(f.text, f if f.value else None)
        b.newline()
        return
    pos = 0
    for f in row.fields:
        if f.value and f.cell:
            b.cells.append([f.cell, -1, -1] if f.blank else [f.cell, pos, pos + len(f.text)])
        pos += len(f.text) + 1
    b.cur = "\t".join(f.text for f in row.fields)
    b.newline()


def _cells(b: _Builder, row: Row, o: LayoutOpts) -> None:
    for f in row.fields:
        if not f.text and not (f.blank and o.indent):
            if o.indent and not f.value:
                b.line(o.indent, f)
            continue
        b.line(o.indent, f)
        if o.blank_cells:
            b.blank()


def _pipe_rows(b: _Builder, row: Row, markdown: bool) -> None:
    if markdown:
        b.add("| ")
        for i, f in enumerate(row.fields):
            if i:
                b.add(" | ")
            b.add(f.text, f if f.value else None)
        b.add(" |")
        b.newline()
        return
    prev_empty = False
    for i, f in enumerate(row.fields):
        empty = not f.text
        if i and not (empty and prev_empty):
            b.add(" ")
        if empty:
            b.add("|", f if f.value else None)
        else:
            b.add(f.text, f if f.value else None)
            b.add(" |")
        prev_empty = empty
    b.newline()


def _pipe_cells(b: _Builder, row: Row, o: LayoutOpts) -> None:
    run = 0

    def flush() -> None:
        nonlocal run
        if run:
            b.add("|" * run)
            b.newline()
            if o.blank_cells:
                b.blank()
            run = 0

    for f in row.fields:
        if not f.text and not f.value:
            run += 1
            continue
        flush()
        if f.blank:
            b.add("|", f)
        else:
            b.add(f.text, f if f.value else None)
            b.add(" |")
        b.newline()
        if o.blank_cells:
            b.blank()
    flush()


def render(rows: list[Row], o: LayoutOpts, rng: random.Random, first_block: int) -> list[Ln]:
    if o.kind in ("pdf", "mdgroups", "glued"):
        from . import layouts_real as R

        fn = {"pdf": R.render_pdf, "mdgroups": R.render_md_groups, "glued": R.render_glued}[o.kind]
        return fn(rows, o, rng, first_block)
    out: list[Ln] = []
    for j, row in enumerate(rows):
        b = _Builder(out, row, first_block + j)
        if j and o.kind in ("cells", "pipe_cells") and o.blank_rows and not o.blank_cells:
            b.blank()
        elif j and o.stray_blank and rng.random() < o.stray_blank:
            b.blank()
        if o.kind == "tab":
            _tab(b, row)
        elif o.kind == "cells":
            _cells(b, row, o)
        elif o.kind in ("pipe_rows", "markdown"):
            _pipe_rows(b, row, o.kind == "markdown")
            if o.kind == "markdown" and j == 0:
                out.append(Ln("|" + "|".join([" --- "] * len(row.fields)) + "|", "table_row", "table",
                              table=row.table, block=first_block, row_kind=row.kind))
        else:
            _pipe_cells(b, row, o)
    return out
