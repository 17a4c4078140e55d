"""One synthetic report from one seed: plan → values → tables → prose → line corruptions → record."""
from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from gazette_nlp.template import SECTION_KEYS, T2_BLOCKS, T3_COLUMNS, T4_GROUPS, T4_KEYS, t3

from . import charmap, line_ops, table_ops
from .closing import section5, section6, signature
from .compose import Composer
from .corruptions import Plan, draw_plan
from .doc import Doc, Ln, blank, build_record
from .issuers import make_issuer
from .layouts import LayoutOpts, render
from .narrative import NarrOpts, Narrator
from .style import Style
from .tables import Row, Shape, t2_rows, t3_rows, t4_rows
from .tables2019 import t2_rows_2019, t3_rows_2019
from .values import NEW, draw_profile, make_values

OPTIONS = ("corruptions", "probs", "clean", "profile", "level")
_GLUE = {"tab": ("\t",), "pipe_rows": (" ",), "markdown": (" ",), "cells": ("\t", " ", ""), "pipe_cells": (" ", "")}


def _layout(plan: Plan, rng: random.Random) -> LayoutOpts:
    if plan.layout == "tab_rows":
        return LayoutOpts("tab", stray_blank=rng.choice((0.0, 0.03, 0.08)))
    if plan.layout == "one_cell_per_line":
        return LayoutOpts("cells", "\t", True, plan.blank_cells)
    if plan.layout == "blank_line_between_cells":
        return LayoutOpts("cells", "", False, True)
    if plan.pipe_kind == "pipe_cells":
        return LayoutOpts("pipe_cells", "", rng.random() < 0.3, plan.blank_cells)
    return LayoutOpts(plan.pipe_kind, stray_blank=rng.choice((0.0, 0.05)))


def _tables(doc: Doc, plan: Plan, rng: random.Random, style: Style, lay: LayoutOpts) -> dict[str, list[Row]]:
    shape = Shape.draw(rng, lay.kind in ("cells", "pipe_cells"))
    v = doc.values
    old = doc.template == "2019"
    rows = {"t2": t2_rows_2019(rng, style, shape) if old else t2_rows(v, style, shape),
            "t3": t3_rows_2019(rng, v, style, shape) if old else t3_rows(v, style, shape),
            "t4": t4_rows(v, style, shape)}
    flat = rows["t2"] + rows["t3"] + rows["t4"]
    plain = lay.kind == "cells" and not lay.indent  # P015: an empty cell leaves no trace
    ops = (("printed_blank", lambda: None if plain else table_ops.printed_blank(flat, rng)),
           ("dropped_column", lambda: table_ops.dropped_column(flat, rng)),
           ("shifted_labels", lambda: table_ops.shifted_labels(flat, rng)),
           ("dropped_blank_cells", lambda: table_ops.dropped_blank_cells(flat, rng)),
           ("split_headers", lambda: table_ops.split_headers(flat, rng, lay.kind in ("cells", "pipe_cells")
                                                              or rng.random() < 0.15)))
    for name, op in ops:
        if name in plan:
            note = op()
            if note:
                doc.applied(name, note)
    return rows


def _ensure_large_number(values: dict[str, Any], rng: random.Random) -> None:
    """thousands_sep needs a number ≥ 1000 to show: give one decision count such a value."""
    if any(isinstance(x, int) and x >= 1000 for x in values.values()):
        return
    block = next(b for b in T2_BLOCKS if len(b.columns) == 1 and len(b.rows) > 1) if rng.random() < 0.5 \
        else next(b for b in T2_BLOCKS if len(b.columns) == 1)
    values[f"t2.{block.rows[0][0]}.{block.columns[0][0]}"] = rng.randint(1000, 90000)


def generate_report(seed: int, **options: Any) -> dict[str, Any]:
    """A synthetic report record (gold format plus text, cell_lines, cell_spans, inferred_cells, corruptions).

    Options: `corruptions` (names from CORRUPTIONS to force, exactly), `probs` ({name: chance} overrides),
    `clean` (no corruptions), `profile` (zero | small | large values), `level` (issuer level).
    """
    bad = set(options) - set(OPTIONS)
    if bad:
        raise TypeError(f"unknown option(s) {sorted(bad)}; known: {', '.join(OPTIONS)}")
    rng = random.Random(seed)
    plan = draw_plan(rng, options.get("corruptions"), options.get("probs"), bool(options.get("clean")))
    issuer = make_issuer(rng, options.get("level"))
    old = "template_2019" in plan
    year = rng.randint(2019, 2020) if old else rng.randint(2021, 2024)
    values = make_values(rng, issuer.level, options.get("profile") or draw_profile(rng))
    if "thousands_sep" in plan:
        _ensure_large_number(values, rng)
    doc = Doc(values=values, template="2019" if old else "2021")
    if old:
        doc.applied("template_2019", "tables 2 and 3 follow the 2019 template: no 2021 cells; table 4 unchanged")
    style = Style.draw(rng, "thousands_sep" in plan, "dash_zero" in plan, "label_variants" in plan,
                       "ocr_noise" in plan)
    lay = _layout(plan, rng)
    rows = _tables(doc, plan, rng, style, lay)

    opts = NarrOpts.draw(rng, "wrapped_paragraphs" in plan, "markdown" in plan)
    appeals = sum(values[f"t4.{g}.{T4_KEYS[-1][0]}"] for g, _ in T4_GROUPS)
    nr = Narrator(rng, doc, Composer(rng, issuer, year, values[t3(NEW, T3_COLUMNS[-1][0])], appeals), opts)
    lines: list[Ln] = nr.title()
    if rng.random() < 0.5:
        lines += nr.preamble()
    lines += nr.section1()
    block = 0
    t4_cells = lay.kind == "tab" and rng.random() < 0.1  # table 4 one number per line in a tabbed report
    for key, table in zip(SECTION_KEYS[1:4], ("t2", "t3", "t4")):
        lines += nr.section_heading(key)
        if rng.random() < 0.05:
            lines += nr.table_prose(key)
        if opts.blank_between and rng.random() < 0.6:
            lines.append(blank())
        table_lay = LayoutOpts("cells", "\t", True) if table == "t4" and t4_cells else lay
        lines += render(rows[table], table_lay, rng, block)
        block += len(rows[table])
    if t4_cells:
        doc.applied("one_cell_per_line", "table 4 only: one number per line")
    lines += section5(nr) + section6(nr)
    if rng.random() < 0.25:
        lines += signature(nr, year)
    doc.applied(plan.layout)
    if plan.blank_cells:
        doc.applied("blank_line_between_cells")
    _line_corruptions(doc, plan, rng, lines, issuer, year, lay)
    for name in sorted(style.used):
        doc.applied(name)
    if nr.wrapped:
        doc.applied("wrapped_paragraphs", f"{nr.wrapped} paragraphs broken across lines")
    doc.lines = lines
    return build_record(doc, seed)


def _line_corruptions(doc: Doc, plan: Plan, rng: random.Random, lines: list[Ln], issuer: Any, year: int,
                      lay: LayoutOpts) -> None:
    steps = (
        ("lost_rows", lambda: line_ops.lost_rows(lines, rng, issuer, year)),  # before gluing: rows vanish whole
        ("glued_rows", lambda: line_ops.glued_rows(lines, rng, _GLUE[lay.kind])),
        ("page_breaks", lambda: line_ops.page_breaks(lines, rng, issuer, year)),
        ("truncated_heading", lambda: line_ops.truncated_heading(lines, rng)),
        ("markdown", lambda: line_ops.markdown(lines, rng)),
        ("web_furniture", lambda: line_ops.web_furniture(lines, rng, issuer, year)),
    )
    for name, step in steps:
        if name in plan:
            note = step()
            if note:
                doc.applied(name, note)
    line_ops.whitespace(lines, rng)
    if "truncated_end" in plan:
        note = line_ops.truncated_end(lines, rng)
        if note:
            doc.applied("truncated_end", note)
    if "ocr_noise" in plan and charmap.ocr_digits(lines, rng):
        doc.applied("ocr_noise", "O/〇/l/I inside printed numbers")
    if "fullwidth" in plan and charmap.fullwidth(lines, rng):
        doc.applied("fullwidth")
    if "halfwidth_punct" in plan and charmap.halfwidth_punct(lines):
        doc.applied("halfwidth_punct")
    if "traditional" in plan and charmap.traditional(lines):
        doc.applied("traditional")


def generate_corpus(n: int, seed: int = 0, **options: Any) -> Iterator[dict[str, Any]]:
    """`n` reports with seeds seed, seed+1, …, seed+n-1."""
    for i in range(n):
        yield generate_report(seed + i, **options)
