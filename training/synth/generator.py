"""One synthetic report from one seed: plan → values → tables → prose → line corruptions → record."""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gazette_nlp.template import SECTION_KEYS, T2_BLOCKS, T3_COLUMNS, T4_GROUPS, T4_KEYS, t3

from . import charmap, line_ops, pre2019, table_ops
from .closing import section5, section6, signature
from .compose import Composer
from .corruptions import Plan, draw_plan
from .doc import Doc, Ln, blank, build_record
from .issuers import make_issuer
from .layouts import LayoutOpts, render
from .narrative import NarrOpts, Narrator
from .narrative_facts import add_fact_paragraphs, fact_annotations
from .style import Style
from .tables import Row, Shape, t2_rows, t3_rows, t4_rows
from .tables2019 import (MERGED_CELLS, merged_values, t2_rows_2019, t2_rows_hybrid, t3_rows_merged,
                         t3_rows_narrow)
from .values import NEW, draw_profile, make_values

OPTIONS = ("corruptions", "probs", "clean", "profile", "level", "narrative_facts")
_GLUE = {"tab": ("\t",), "pipe_rows": (" ",), "markdown": (" ",), "cells": ("\t", " ", ""), "pipe_cells": (" ", ""),
         "pdf": (" ",), "mdgroups": (" ",), "glued": ("",)}


@dataclass(frozen=True)
class Forms:
    """The template form of each table block, decided per block (annotation.md)."""

    t2: str = "2021"  # 2021 | hybrid (第二十条第（一）项 in the 2019 form, the rest 2021) | 2019 (not mapped)
    t3: str = "2021"  # 2021 | merged (seven columns, （六）其他处理 one row: mapped) | narrow (not mapped)
    pre2019: bool = False  # the pre-2019 outline: no template tables at all

    @property
    def template(self) -> str:
        return "pre2019" if self.pre2019 else "2019" if self.t2 == "2019" else "2021"


def _forms(plan: Plan, rng: random.Random) -> Forms:
    """Which forms the plan's names ask for; where two names disagree the more specific one wins."""
    if "pre2019_outline" in plan:
        return Forms(pre2019=True)
    if "hybrid_t2_block" in plan:
        if "template_2019" in plan or rng.random() < 0.4:
            return Forms("2019", "merged")  # a 2019 report: table 二 in the 2019 form, table 三 seven columns
        return Forms("hybrid", "merged" if "merged_other_row" in plan else "2021")
    if "template_2019" in plan:
        return Forms("2019", "narrow")
    return Forms("2021", "merged" if "merged_other_row" in plan else "2021")


def _record_forms(doc: Doc, forms: Forms) -> None:
    if forms.t2 == "2019" and forms.t3 == "narrow":
        doc.applied("template_2019", "tables 2 and 3 follow the 2019 template (table 3 with 自然人 / 法人或其他组织 / "
                                     "总计 columns only): no 2021 cells; table 4 unchanged")
    elif forms.t2 == "2019":
        doc.applied("hybrid_t2_block", "a 2019 report: table 2 entirely in the 2019 form (not mapped), table 3 in the "
                                       "seven-column 2019 form (mapped), table 4 maps")
    elif forms.t2 == "hybrid":
        doc.applied("hybrid_t2_block", "table 2's 第二十条第（一）项 block keeps the 2019 columns (本年新制作数量 / "
                                       "本年新公开数量 / 对外公开总数量): t2.rules.* and t2.normative_docs.* are absent, "
                                       "the other blocks map")
    if forms.t3 == "merged":
        nums = " ".join(str(doc.values[c]) for c in MERGED_CELLS)
        doc.applied("merged_other_row", f"table 3's （六）其他处理 printed as one row ({nums}): the 21 t3.other.* cells "
                                        "are absent; the row's numbers are the record's extra_cells "
                                        "(t3.other_merged.*), which the identities use in place of the three sub-rows")


def _layout(plan: Plan, rng: random.Random) -> LayoutOpts:
    if plan.layout == "wrapped_labels":
        return LayoutOpts("pdf", rates={"wrap": rng.uniform(0.3, 0.8), "first": rng.uniform(0.05, 0.3),
                                        "vertical": rng.uniform(0.3, 0.9)})
    if plan.layout == "markdown_row_groups":
        return LayoutOpts("mdgroups")
    if plan.layout == "one_line_glued":
        return LayoutOpts("glued", rates={"space": rng.choice((0.0, 0.02, 0.06))})
    if plan.layout == "tab_rows":
        return LayoutOpts("tab", stray_blank=rng.choice((0.0, 0.03, 0.08)))
    if plan.layout == "one_cell_per_line":
        return LayoutOpts("cells", "\t", True, plan.blank_cells)
    if plan.layout == "blank_line_between_cells":
        return LayoutOpts("cells", "", False, True)
    if plan.pipe_kind == "pipe_cells":
        return LayoutOpts("pipe_cells", "", rng.random() < 0.3, plan.blank_cells)
    return LayoutOpts(plan.pipe_kind, stray_blank=rng.choice((0.0, 0.05)))


def _tables(doc: Doc, plan: Plan, rng: random.Random, style: Style, lay: LayoutOpts,
            forms: Forms) -> dict[str, list[Row]]:
    shape = Shape.draw(rng, lay.kind in ("cells", "pipe_cells"))
    v = doc.values
    t2 = {"2019": lambda: t2_rows_2019(rng, style, shape), "hybrid": lambda: t2_rows_hybrid(rng, v, style, shape),
          "2021": lambda: t2_rows(v, style, shape)}[forms.t2]
    t3 = {"narrow": lambda: t3_rows_narrow(rng, v, style, shape), "merged": lambda: t3_rows_merged(v, style, shape),
          "2021": lambda: t3_rows(v, style, shape)}[forms.t3]
    rows = {"t2": t2(), "t3": t3(), "t4": t4_rows(v, style, shape)}
    flat = rows["t2"] + rows["t3"] + rows["t4"]
    # P015, PDF text, crawler text: an empty cell leaves no trace
    plain = (lay.kind == "cells" and not lay.indent) or lay.kind in ("pdf", "glued")
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
    `clean` (no corruptions), `profile` (zero | small | large values), `level` (issuer level),
    `narrative_facts` (sections 一/五/六 also state table values, the record gains `facts`; off by default, and
    with it off every seed generates exactly what it did before).
    """
    bad = set(options) - set(OPTIONS)
    if bad:
        raise TypeError(f"unknown option(s) {sorted(bad)}; known: {', '.join(OPTIONS)}")
    rng = random.Random(seed)
    plan = draw_plan(rng, options.get("corruptions"), options.get("probs"), bool(options.get("clean")))
    issuer = make_issuer(rng, options.get("level"))
    forms = _forms(plan, rng)
    year = rng.randint(2009, 2018) if forms.pre2019 else rng.randint(2019, 2020) if forms.t2 == "2019" \
        else rng.randint(2021, 2024)
    values = make_values(rng, issuer.level, options.get("profile") or draw_profile(rng))
    if "thousands_sep" in plan:
        _ensure_large_number(values, rng)
    if forms.t3 == "merged":
        values.update(zip(MERGED_CELLS, merged_values(values)))
    doc = Doc(values=values, template=forms.template)
    _record_forms(doc, forms)
    style = Style.draw(rng, "thousands_sep" in plan, "dash_zero" in plan, "label_variants" in plan,
                       "ocr_noise" in plan)
    lay = _layout(plan, rng)

    opts = NarrOpts.draw(rng, "wrapped_paragraphs" in plan, "markdown" in plan)
    appeals = sum(values[f"t4.{g}.{T4_KEYS[-1][0]}"] for g, _ in T4_GROUPS)
    nr = Narrator(rng, doc, Composer(rng, issuer, year, values[t3(NEW, T3_COLUMNS[-1][0])], appeals), opts)
    if forms.pre2019:
        lines, note = pre2019.pre2019_report(nr, style, lay, rng, values)
        doc.applied("pre2019_outline", note)
    else:
        lines = _template_report(doc, plan, rng, style, lay, forms, nr)
        if options.get("narrative_facts") and plan.layout != "one_line_glued":
            keys = (SECTION_KEYS[0], SECTION_KEYS[4], SECTION_KEYS[5])
            add_fact_paragraphs(lines, doc, seed, year, opts.blank_between, keys)
    if rng.random() < 0.25:
        lines += signature(nr, year)
    doc.applied(plan.layout)
    if lay.stats:
        doc.applied(plan.layout, ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(lay.stats.items())))
    if plan.blank_cells:
        doc.applied("blank_line_between_cells")
    _line_corruptions(doc, plan, rng, lines, issuer, year, lay)
    for name in sorted(style.used):
        doc.applied(name)
    if nr.wrapped and lay.kind != "glued":
        doc.applied("wrapped_paragraphs", f"{nr.wrapped} paragraphs broken across lines")
    doc.lines = lines
    record = build_record(doc, seed)
    if options.get("narrative_facts"):
        record["facts"] = fact_annotations(lines, record["cells"])
    return record


def _template_report(doc: Doc, plan: Plan, rng: random.Random, style: Style, lay: LayoutOpts, forms: Forms,
                     nr: Narrator) -> list[Ln]:
    """Title to section 六 of a report on the template (2021 form, or 2019 forms per block)."""
    rows = _tables(doc, plan, rng, style, lay, forms)
    opts = nr.o
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
    return lines


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
    if lay.kind == "glued":  # last: every rewrite above kept the spans that flattening now shifts
        tail = "truncated_end" not in doc.corruptions
        doc.applied("one_line_glued", line_ops.one_line(lines, rng, issuer, year, tail))


def generate_corpus(n: int, seed: int = 0, **options: Any) -> Iterator[dict[str, Any]]:
    """`n` reports with seeds seed, seed+1, …, seed+n-1."""
    for i in range(n):
        yield generate_report(seed + i, **options)
