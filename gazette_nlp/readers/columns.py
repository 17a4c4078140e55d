"""Unruled tables: columns from the header's x-ranges, so that a row with a blank cell keeps its empty field.

A run of consecutive lines that each split into two or more fields (at wide blank gaps) is a table block. Its
widest line (most fields) is the header: its fields' x-ranges are the columns. Every line of the block is then
written column by column: a field goes to the column it overlaps most (the nearest when it overlaps none), two
fields in one column are joined by a space, and a column no field reaches is an empty field.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Field:
    x0: float
    x1: float
    text: str


def _column(f: Field, cols: list[tuple[float, float]]) -> int:
    overlaps = [min(f.x1, b) - max(f.x0, a) for a, b in cols]
    best = max(range(len(cols)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    mid = (f.x0 + f.x1) / 2
    return min(range(len(cols)), key=lambda i: min(abs(mid - cols[i][0]), abs(mid - cols[i][1])))


def align_block(rows: list[list[Field]]) -> list[str]:
    """Tab-separated lines of one table block, every line with the header's number of fields."""
    header = max(rows, key=len)
    cols = [(f.x0, f.x1) for f in header]
    out = []
    for row in rows:
        cells: list[list[str]] = [[] for _ in cols]
        for f in row:
            cells[_column(f, cols)].append(f.text)
        out.append("\t".join(" ".join(c) for c in cells))
    return out


@dataclass
class PlacedLine:
    top: float
    bottom: float
    fields: list[Field]


def align_lines(lines: list[PlacedLine], breaks: list[float] = (), gap: float = 0.9) -> list[tuple[float, float, str]]:
    """(top, bottom, text) for lines in top-to-bottom order; a block ends at a line of one field, at a vertical
    gap wider than `gap` line heights, or at a `breaks` position (a ruled table between)."""
    out: list[tuple[float, float, str]] = []
    block: list[PlacedLine] = []

    def flush() -> None:
        texts = align_block([b.fields for b in block]) if len(block) >= 2 else \
            ["\t".join(f.text for f in b.fields) for b in block]
        out.extend((b.top, b.bottom, t) for b, t in zip(block, texts))
        block.clear()

    for ln in sorted(lines, key=lambda l: l.top):
        if block:
            prev = block[-1]
            height = max(prev.bottom - prev.top, ln.bottom - ln.top, 1.0)
            if len(ln.fields) < 2 or ln.top - prev.bottom > gap * height or \
                    any(prev.bottom <= y <= ln.top for y in breaks):
                flush()
        if len(ln.fields) >= 2:
            block.append(ln)
        else:
            out.append((ln.top, ln.bottom, "".join(f.text for f in ln.fields)))
    flush()
    return out
