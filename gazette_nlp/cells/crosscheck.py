"""`cross_check_cells`: the neural cell tagger as a second, independent reader of the table region.

The rule-structured aligner (`align_cells`) and the tagger (`tagger_decode.decode_tags`) read the same numbers in
very different ways — fuzzy row labels and column counting against identities, versus a learned model of the
pieces around each number decoded under the template's order. Where they agree a cell is as certain as its reading;
where they disagree a user must look, so the cell is flagged rather than silently resolved:

- per table (二, 三, 四), the rules' reading is kept unless the tagger's reading of that table fills at least as
  many cells and breaks fewer identities (or the rules found no table at all); a table taken from the tagger is
  named in an issue;
- a kept cell the other reader gives a different value (or does not place while reading the same table) has its
  confidence capped below `validate.LOW` and an `aligners_disagree` issue names it with both readings.

The validator then runs again on the merged cells.
"""
from __future__ import annotations

from collections import Counter

from .. import template as T
from ..model import Cell, Issue, Report
from .decode import SPLIT
from .numbers import same_value
from .tagger import CellTagger, default_tagger
from .tagger_decode import decode_tags
from .validate import _READ_CONF, check_identities, validate_cells, with_merged_row

CONF_DISAGREE = 0.6  # both readers placed numbers here and they differ: the user must look
CONF_ONE_READER = 0.85  # only one reader placed a value where the other read the same table
TABLES = ("t2", "t3", "t4")
_IDENTITIES_OF = {t: [i for i in T.IDENTITIES + T.MERGED_OTHER_IDENTITIES if i.name.startswith(t + ".")]
                  for t in TABLES}


def _table(cid: str) -> str | None:
    cell = T.CELL_BY_ID.get(cid)
    return cell.table if cell else None


def _violations(cells: dict[str, Cell], table: str) -> int:
    sub = {c: v for c, v in cells.items() if _table(c) == table}
    _, bad = check_identities(sub)
    return sum(1 for i in bad if i in _IDENTITIES_OF[table])


def _vouched(cells: dict[str, Cell], table: str) -> set[str]:
    """Cells in two or more satisfied identities (a row and a column) of a table whose every checkable
    identity holds: a misread cell would need misreadings elsewhere that cancel it in both."""
    ok, bad = check_identities(cells)
    if any(i in _IDENTITIES_OF[table] for i in bad):
        return set()
    seen = Counter(c for i in ok if i in _IDENTITIES_OF[table] for c in i.cells)
    return {c for c, n in seen.items() if n >= 2}


def _filled(cells: dict[str, Cell], table: str) -> int:
    return sum(1 for c, v in cells.items() if _table(c) == table and v.value is not None)


def _cap(cell: Cell, conf: float) -> None:
    base = getattr(cell, _READ_CONF, cell.confidence)
    setattr(cell, _READ_CONF, min(base, conf))
    cell.confidence = min(cell.confidence, conf)


def _of_table(issue: Issue, table: str) -> bool:
    return bool(issue.cells) and all(_table(c) == table for c in issue.cells)


def merge_readings(rules: dict[str, Cell], tagged: dict[str, Cell],
                   rule_issues: list[Issue] = (), tagger_issues: list[Issue] = (), pseudo: dict[str, Cell] | None = None
                   ) -> tuple[dict[str, Cell], list[Issue]]:
    """(merged cells, issues) from the rules' and the tagger's cells (and their reading issues) of one report.
    The reading issues of a table (rows missing, gaps inferred or left open) follow the reading kept."""
    merged: dict[str, Cell] = {}
    issues: list[Issue] = [i for i in rule_issues if not any(_of_table(i, t) for t in TABLES)]
    for table in TABLES:
        r = {c: v for c, v in rules.items() if _table(c) == table}
        n = {c: v for c, v in tagged.items() if _table(c) == table}
        take_tagger = bool(n) and (not r or (_filled(n, table) >= _filled(r, table)
                                             and _violations(n, table) < _violations(r, table)))
        kept, other = (n, r) if take_tagger else (r, n)
        issues += [i for i in (tagger_issues if take_tagger else rule_issues) if _of_table(i, table)]
        if take_tagger:
            issues.append(Issue("tagger_reading", f"table {table}: the rule aligner's reading "
                                f"{'found nothing' if not r else 'broke more identities'}; the cell tagger's "
                                "reading is used", sorted(n, key=lambda c: T.CELL_BY_ID[c].index)))
            for cell in kept.values():
                _cap(cell, CONF_ONE_READER)
        differ, alone = [], []
        # a cell only one reader placed is doubted, unless the identities of a table read without a violation
        # vouch for it: the tagger falls silent on layouts it never saw (per-block forms, merged rows)
        vouched = _vouched({**kept, **(pseudo or {})}, table)
        for cid, cell in kept.items():
            if cid in other and not hasattr(cell, SPLIT):  # the tagger reads a glued run as one number
                if not same_value(other[cid].value, cell.value):
                    differ.append((cid, cell.value, other[cid].value))
                    _cap(cell, CONF_DISAGREE)
            elif other and cell.origin == "read" and not hasattr(cell, SPLIT) and cid not in vouched:
                alone.append(cid)
                _cap(cell, CONF_ONE_READER)
            merged[cid] = cell
        if differ:
            who = ("tagger", "rules") if take_tagger else ("rules", "tagger")
            issues.append(Issue("aligners_disagree", f"table {table}: the two cell readers disagree on "
                                f"{len(differ)} cell(s): " + "; ".join(
                                    f"{c} {who[0]} {v!s} vs {who[1]} {w!s}" for c, v, w in differ[:8])
                                + (" …" if len(differ) > 8 else ""),
                                [c for c, _, _ in differ], sorted({kept[c].line for c, _, _ in differ
                                                                   if kept[c].line})))
        if alone:
            issues.append(Issue("aligners_disagree", f"table {table}: {len(alone)} cell(s) placed by one "
                                "reader only", alone, sorted({kept[c].line for c in alone if kept[c].line})))
    return dict(sorted(merged.items(), key=lambda kv: T.CELL_BY_ID[kv[0]].index)), issues


def unmapped_cells(report: Report) -> set[str]:
    """The cells the per-block forms leave absent: 2019-form 第二十条 blocks, the sub-rows of a merged
    '（六）其他处理', a table 3 of two applicant columns. The tagger knows no forms, so its reading is cut to fit."""
    forms = report.meta.get("forms", {})
    out: set[str] = set()
    for item, form in forms.get("t2", {}).items():
        if form == "2019":
            out |= set(T2_CELLS_OF_ITEM.get(item, ()))
    if forms.get("t3") == "2019":
        out |= {c for c in T.T3_CELL_IDS if c.startswith("t3.other.")}
    elif forms.get("t3") == "two_columns":
        out |= set(T.T3_CELL_IDS)
    return out


T2_CELLS_OF_ITEM = {b.item: tuple(c.id for c in T.CELLS if c.table == "t2" and c.row in {k for k, _ in b.rows})
                    for b in T.T2_BLOCKS}
OWN_KINDS = ("aligners_disagree", "tagger_reading")
READING_KINDS = ("missing_rows", "unfilled_cells", "inferred_cells")


def cross_check_cells(report: Report, tagger: CellTagger | None = None) -> Report:
    """Pipeline stage after `align_cells`: read the table region again with the cell tagger, merge (see the
    module docstring), validate again."""
    forms = report.meta.get("forms", {})
    if forms.get("outline") or (not report.cells and (forms.get("t3") == "two_columns"
                                                      or set(forms.get("t2", {}).values()) == {"2019"})):
        return report  # tables that are not the template's: neither reader maps them
    tagging = (tagger or default_tagger()).tag(report)
    tagged, tagger_issues, template = decode_tags(tagging)
    if template == "2019" and not report.cells:
        return report
    tagged = {c: v for c, v in tagged.items() if c not in unmapped_cells(report)}
    reading = [i for i in report.issues if i.kind in READING_KINDS]
    report.cells, issues = merge_readings(report.cells, tagged, reading, tagger_issues,
                                          pseudo=with_merged_row({}, report))
    report.issues = [i for i in report.issues if i.kind not in OWN_KINDS + READING_KINDS] + issues
    if report.cells:  # "no table found" was the rules' view; the tagger found one
        report.issues = [i for i in report.issues if not (i.kind == "missing_rows" and not i.cells)]
    if report.cells and report.meta.get("template") in (None, "unknown"):
        report.meta["template"] = "2021"
        report.meta.setdefault("forms", {}).update({t: "2021" for t in TABLES if any(_table(c) == t for c in
                                                                                    report.cells)})
    return validate_cells(report)


__all__ = ["cross_check_cells", "merge_readings"]
