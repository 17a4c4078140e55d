"""Linking: a tagged candidate → the cells whose sum it states, then `agrees` against the record's cells.

Rules over the template, no learning (../shared/spec/facts.md):
* `received` (受理 / 收到 / 接收): new alone where the same line states the carried-over requests apart, new +
  carried over where the clause says 含上年结转; otherwise the text does not decide, the fact keeps both
  readings (`reading: "undecided"`, `alternatives`), and its `cells` are the reading the table bears out, if one.
* `applicant` (涉及自然人72件, 法人或其他组织16件): the column from its own words, the row (and reading) from the
  nearest fact before it in the line that states a table-三 row.
* `upheld` / `corrected` / `other_result` / `pending`: that column of the nearest review or litigation fact before
  it in the line (行政复议6件，其中维持4件), of the review where none is stated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Cell, Fact, Issue
from .labels import COLUMNS, FIXED, ORG_COLUMNS, OUTCOMES, ROWS, SUBJECTS
from .tagger import Tagged

APPROX_TOLERANCE = 0.05  # facts.md: approx values agree within 5 %
_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("法人或其他组织", ORG_COLUMNS), ("法人和其他组织", ORG_COLUMNS), ("自然人", ("natural_person",)),
    ("公民个人", ("natural_person",)), ("商业企业", ("commercial",)), ("科研机构", ("research",)),
    ("社会公益组织", ("public_interest",)), ("法律服务机构", ("legal_services",)), ("其他组织", ("other_org",)),
)
_WITH_CARRIED = re.compile(r"含上一?年度?结转|包括上一?年度?结转|加上上一?年度?结转")


@dataclass
class _Linked:
    tagged: Tagged
    readings: list[tuple[str, ...]]  # the first is the one the text supports; more: undecided
    rows: list[tuple[str, ...]] = field(default_factory=list)  # per reading, the table-三 row stems


def _received_readings(tagged: Tagged, line_labels: list[str]) -> list[tuple[str, ...]]:
    new, both = ("t3.new",), ("t3.new", "t3.carried_over")
    if _WITH_CARRIED.search(tagged.site.candidate.text):
        return [both]
    if "carried_over" in line_labels:  # 收到44件 … 上年度结转0件: the carried over are counted apart
        return [new]
    return [new, both]


def link(tagged: list[Tagged]) -> list[_Linked]:
    """Cells for every tagged fact (O left out), in reading order."""
    facts = [t for t in tagged if t.label != "O"]
    by_line: dict[int, list[str]] = {}
    for t in facts:
        by_line.setdefault(id(t.site.line), []).append(t.label)
    linked: list[_Linked] = []
    for t in facts:
        label = t.label
        same_line = [x for x in linked if x.tagged.site.line is t.site.line]
        if label == "received":
            rows = _received_readings(t, by_line[id(t.site.line)])
            linked.append(_Linked(t, [tuple(f"{s}.total" for s in r) for r in rows], rows))
        elif label in ROWS:
            linked.append(_Linked(t, [FIXED[label]], [ROWS[label]]))
        elif label in FIXED:
            linked.append(_Linked(t, [FIXED[label]]))
        elif label == "applicant":
            columns = next((cols for word, cols in _COLUMN_WORDS if word in t.site.candidate.text), COLUMNS)
            row_fact = next((x for x in reversed(same_line) if x.rows), None)
            rows = row_fact.rows if row_fact else [("t3.new",)]
            linked.append(_Linked(t, [tuple(f"{s}.{c}" for s in r for c in columns) for r in rows], rows))
        elif label in OUTCOMES:
            subject = next((x.tagged.label for x in reversed(same_line) if x.tagged.label in SUBJECTS), "review")
            linked.append(_Linked(t, [tuple(f"{s}.{OUTCOMES[label]}" for s in SUBJECTS[subject])]))
    return linked


def _decimals(value: float | int) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if isinstance(value, float) and "." in text else 0


def cells_sum(cells: tuple[str, ...], table: dict[str, Cell]) -> float | int | None:
    """The sum of the cells, None when one is absent or printed blank."""
    values = [table[c].value if c in table else None for c in cells]
    return None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]


def agrees(value: float | int, approx: bool, total: float | int | None) -> bool | None:
    if total is None:
        return None
    if approx:
        return abs(total - value) <= APPROX_TOLERANCE * max(abs(value), 1)
    tolerance = 0.5 * 10 ** -_decimals(value) if isinstance(value, float) else 0
    return abs(total - value) <= tolerance


def check(linked: list[_Linked], table: dict[str, Cell]) -> tuple[list[Fact], list[Issue]]:
    """Facts with `agrees`; a `narrative_mismatch` issue for each false one."""
    facts: list[Fact] = []
    issues: list[Issue] = []
    for item in linked:
        cand = item.tagged.site.candidate
        verdicts = [agrees(cand.value, cand.approx, cells_sum(r, table)) for r in item.readings]
        # an undecided reading agrees when any reading does, disagrees only when every reading does
        chosen = next((i for i, v in enumerate(verdicts) if v), 0)
        verdict = True if any(verdicts) else None if None in verdicts else False
        cells = item.readings[chosen]
        fact = Fact(line=item.tagged.site.printed_line, text=cand.text, value=cand.value, cells=list(cells),
                    agrees=verdict, approx=cand.approx, label=item.tagged.label,
                    alternatives=[list(r) for i, r in enumerate(item.readings) if i != chosen],
                    reading="undecided" if len(item.readings) > 1 else None)
        facts.append(fact)
        if verdict is False:
            total = cells_sum(cells, table)
            shown = ", ".join(f"{c} = {table[c].value}" for c in cells)
            issues.append(Issue(
                kind="narrative_mismatch",
                message=f"line {fact.line}: '{fact.text}' states {cand.value}; {shown} (sum {total})",
                cells=list(cells), lines=[fact.line]))
    return facts, issues
