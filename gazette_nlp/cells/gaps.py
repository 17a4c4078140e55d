"""Rows printing one number fewer than their columns: where is the gap? The template identities decide.

Every column of the row is a hypothesis for the dropped number. Under each, the identities that then have
one unknown force its value (it must be non-negative, and every identity that forces it must agree), and
every identity that is then fully known must hold. First only the row's own identity is used (003: six
zeros and a zero total — whichever column was dropped, all seven cells are 0); then the column identities
against the rest of the table. A row is placed only when all surviving hypotheses give the same values.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import template as T
from ..model import Cell, Number
from .numbers import Token

_IDS_BY_CELL: dict[str, list[T.Identity]] = {}
for _i in T.IDENTITIES:
    for _c in _i.cells:
        _IDS_BY_CELL.setdefault(_c, []).append(_i)


@dataclass
class Gap:
    cells: tuple[str, ...]
    numbers: list[Token]  # len(cells) - 1 printed numbers, in order
    line: int
    label_score: float
    fallback: dict[str, Cell] | None = None  # reading of an edge blank as an empty cell, if no gap is forced


@dataclass
class Placement:
    gap: Gap
    dropped: int  # column index of the inferred cell
    values: dict[str, Number]  # the row's cells
    by_columns: bool  # the column identities were needed
    several: bool  # several positions of the gap give these same values


def _forced(values: dict[str, Number | None], unknown: str) -> tuple[bool, Number | None]:
    """(consistent, the value the identities force on `unknown`, or None when none does)."""
    forced: Number | None = None
    for ident in _IDS_BY_CELL.get(unknown, ()):
        if any(values.get(c) is None for c in ident.cells if c != unknown):
            continue
        lhs = sum(values[c] for c in ident.lhs if c != unknown)  # type: ignore[misc]
        rhs = sum(values[c] for c in ident.rhs if c != unknown)  # type: ignore[misc]
        x = rhs - lhs if unknown in ident.lhs else lhs - rhs
        if x < -1e-9 or (forced is not None and abs(forced - x) > 1e-6):
            return False, None
        forced = x
    return True, forced


def _holds(values: dict[str, Number | None], cells: tuple[str, ...]) -> bool:
    for ident in {id(i): i for c in cells for i in _IDS_BY_CELL.get(c, ())}.values():
        if any(values.get(c) is None for c in ident.cells):
            continue  # unchecked
        if abs(sum(values[c] for c in ident.lhs) - sum(values[c] for c in ident.rhs)) > 1e-6:  # type: ignore
            return False
    return True


def hypotheses(gap: Gap, known: dict[str, Number | None]) -> list[tuple[int, dict[str, Number]]]:
    """The consistent placements of the gap: (dropped column, the row's values)."""
    out = []
    for j, missing in enumerate(gap.cells):
        vals = dict(known)
        for c, t in zip((c for i, c in enumerate(gap.cells) if i != j), gap.numbers):
            vals[c] = t.value
        ok, x = _forced(vals, missing)
        if not ok or x is None:
            continue
        vals[missing] = x
        if _holds(vals, gap.cells):
            out.append((j, {c: vals[c] for c in gap.cells}))  # type: ignore[misc]
    return out


def place_gaps(gaps: list[Gap], known: dict[str, Number | None]) -> tuple[list[Placement], list[Gap]]:
    """Place what the identities decide, repeating while one placement helps another; (placed, left)."""
    known = dict(known)
    pending, placed = list(gaps), []
    for by_columns in (False, True):
        progress = True
        while progress and pending:
            progress = False
            for gap in list(pending):
                ctx = known if by_columns else {}
                hyps = hypotheses(gap, ctx)
                if len({tuple(sorted(v.items())) for _, v in hyps}) != 1:
                    continue
                j, vals = hyps[-1]
                placed.append(Placement(gap, j, vals, by_columns, len(hyps) > 1))
                known.update(vals)
                pending.remove(gap)
                progress = True
    return placed, pending
