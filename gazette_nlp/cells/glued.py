"""Digit runs that hold several cells (`行政规范性文件693665`, `本年新收…801000081`): a search over splits.

A row printing fewer numbers than its columns, where some of its numbers are runs of digits glued together (by a
crawler that dropped the separators, or glued to the row's label), is split into exactly as many numbers as the
row has columns: a run may give several pieces, a piece never starts with 0 unless it is 0, a spaced number
stays whole. The row's own identity (total = the sum of the six applicant columns; table 4: a group's total = its
four parts) filters the splits of each row; the column identities then filter the combinations of all the glued
rows of the report together. A cell is certain when every surviving combination gives it the same value; where
several survive, the most plausible (the template's soft bounds, then evenly long pieces, then small values) is
written and the cell is flagged below `validate.LOW`, with the alternatives in an issue.
"""
from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from .. import template as T
from ..model import Number
from .numbers import Token

MAX_COMBINATIONS = 20000  # beyond this the rows are resolved one by one (their own identities only)
_DIGITS = re.compile(r"^\d+$")


def digits_of(tok: Token) -> str | None:
    """The digits of a number token that may hold several cells, or None."""
    if tok.kind != "num" or not tok.raw or not isinstance(tok.value, int):
        return None
    d = unicodedata.normalize("NFKC", tok.raw).replace(" ", "")
    return d if _DIGITS.match(d) and len(d) >= 2 else None


def may_be_glued(tok: Token, on_glued_line: bool) -> bool:
    """A run is split only where the text shows it lost its separators: the line lost its breaks, the number
    is glued to its label, or it starts with a 0 no printed number starts with."""
    d = digits_of(tok)
    return d is not None and (on_glued_line or tok.glued or d[0] == "0")


def splits(digits: str, n: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut `digits` into n numbers without leading zeros."""
    if n == 1:
        if digits and (digits[0] != "0" or len(digits) == 1):
            yield (int(digits),)
        return
    for i in range(1, len(digits) - n + 2):
        head = digits[:i]
        if head[0] == "0" and i > 1:
            break
        for rest in splits(digits[i:], n - 1):
            yield (int(head),) + rest


@lru_cache(maxsize=256)
def _own_identities(cells: tuple[str, ...]) -> tuple[T.Identity, ...]:
    """The identities among a row's own cells (a table-3 row's, table 4's groups)."""
    return tuple(i for i in T.IDENTITIES + T.MERGED_OTHER_IDENTITIES if set(i.cells) <= set(cells))


def _row_ok(cells: tuple[str, ...], values: tuple[int, ...]) -> bool:
    vals = dict(zip(cells, values))
    return all(sum(vals[c] for c in i.lhs) == sum(vals[c] for c in i.rhs) for i in _own_identities(cells))


def row_options(cells: tuple[str, ...], nums: list[Token], runs: list[bool], limit: int = 5000
                ) -> tuple[list[tuple[int, ...]], bool]:
    """(the splits of a row's printed numbers into len(cells) values that its own identities allow, whether one
    cell had to be inferred). A run one digit short of its row (a dropped cell) is split into len(cells) - 1
    numbers and the row's own identity forces the missing one, as for a row printing one number fewer."""
    out = [v for v in _splits_of(nums, runs, len(cells), limit) if _row_ok(cells, v)]
    if out or not _own_identities(cells) or len(nums) >= len(cells) - 1 and not any(runs):
        return out, False
    seen: dict[tuple[int, ...], None] = {}
    for short in _splits_of(nums, runs, len(cells) - 1, limit):
        for j in range(len(cells)):
            full = _forced_row(cells, short, j)
            if full is not None:
                seen.setdefault(full)
    return list(seen)[:limit], bool(seen)


def _splits_of(nums: list[Token], runs: list[bool], k: int, limit: int) -> Iterator[tuple[int, ...]]:
    pieces = [digits_of(t) if r else None for t, r in zip(nums, runs)]
    glued_ix = [i for i, p in enumerate(pieces) if p]
    made = 0
    # how many more pieces each run gives: compositions of the missing count over the runs
    for more in _compositions(k - len(nums), len(glued_ix)):
        counts = [1] * len(nums)
        for i, m in zip(glued_ix, more):
            counts[i] += m
            if counts[i] > len(pieces[i]):  # type: ignore[arg-type]
                break
        else:
            parts = [list(splits(pieces[i], counts[i])) if pieces[i] else [(nums[i].value,)]
                     for i in range(len(nums))]
            for combo in itertools.product(*parts):
                yield tuple(v for part in combo for v in part)
                made += 1
                if made >= limit:
                    return


def _forced_row(cells: tuple[str, ...], short: tuple[int, ...], j: int) -> tuple[int, ...] | None:
    """The row with a value inserted at column j as its own identities force it, or None."""
    vals = dict(zip([c for i, c in enumerate(cells) if i != j], short))
    missing = cells[j]
    x = None
    for ident in _own_identities(cells):
        if missing not in ident.cells:
            continue
        lhs = sum(vals[c] for c in ident.lhs if c != missing)
        rhs = sum(vals[c] for c in ident.rhs if c != missing)
        forced = rhs - lhs if missing in ident.lhs else lhs - rhs
        if forced < 0 or (x is not None and x != forced):
            return None
        x = forced
    if x is None:
        return None
    vals[missing] = x
    full = tuple(vals[c] for c in cells)
    return full if _row_ok(cells, full) else None


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    if parts == 0:
        if total == 0:
            yield ()
        return
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


@dataclass
class GluedRow:
    cells: tuple[str, ...]
    line: int
    options: list[tuple[int, ...]]
    label_score: float = 1.0
    raw: str = ""
    short: bool = False  # the run was a digit short: one cell of each option is forced by the identities


@dataclass
class Resolution:
    row: GluedRow
    values: tuple[int, ...]
    certain: list[bool]  # per cell: every surviving combination agrees
    alternatives: list[tuple[int, ...]] = field(default_factory=list)


def plausibility(cells: tuple[str, ...], values: tuple[int, ...]) -> tuple[int, float, float]:
    """Lower is more plausible: soft bounds broken, spread of the pieces' lengths, then size of the values."""
    vals = dict(zip(cells, values))
    broken = sum(1 for big, small in T.SOFT_BOUNDS if big in vals and small in vals and vals[big] < vals[small])
    lengths = [len(str(v)) for v in values]
    mean = sum(lengths) / len(lengths)
    return broken, sum((x - mean) ** 2 for x in lengths), sum(math.log1p(v) for v in values)


def resolve(rows: list[GluedRow], known: dict[str, Number | None], merged: dict[str, Number] | None = None
            ) -> list[Resolution]:
    """Choose one split per glued row under the column identities (see the module docstring)."""
    rows = [r for r in rows if r.options]
    if not rows:
        return []
    ranked = [sorted(r.options, key=lambda v, r=r: plausibility(r.cells, v)) for r in rows]
    size = math.prod(len(o) for o in ranked)
    combos: list[tuple[tuple[int, ...], ...]] = []
    if size <= MAX_COMBINATIONS:
        idents = _identities_touching({c for r in rows for c in r.cells})
        for combo in itertools.product(*ranked):
            values = dict(known)
            for r, v in zip(rows, combo):
                values.update(zip(r.cells, v))
            if merged:
                values.update(merged)
            if all(_holds(i, values) for i in idents):
                combos.append(combo)
    if not combos:  # nothing satisfies every identity (or too many to try): each row on its own
        combos = [tuple(o[0] for o in ranked)]
        alone = True
    else:
        alone = False
    best = combos[0]  # product order follows each row's plausibility ranking
    out = []
    for j, r in enumerate(rows):
        seen = {c[j] for c in combos} if not alone else set(ranked[j])
        certain = [len({v[i] for v in seen}) == 1 for i in range(len(r.cells))]
        out.append(Resolution(r, best[j], certain, [v for v in ranked[j] if v in seen and v != best[j]][:4]))
    return out


def _identities_touching(cells: set[str]) -> list[T.Identity]:
    return [i for i in T.IDENTITIES + T.MERGED_OTHER_IDENTITIES if cells & set(i.cells)]


def _holds(ident: T.Identity, values: dict[str, Number | None]) -> bool:
    vals = [values.get(c) for c in ident.cells]
    if any(v is None for v in vals):
        return True  # unchecked
    return abs(sum(values[c] for c in ident.lhs) - sum(values[c] for c in ident.rhs)) < 1e-6  # type: ignore[misc]
