"""The named corruption / layout types, how often each is drawn, and the ones that act on finished lines.

Every report records the names that actually changed it (`record["corruptions"]`), so evaluation can group by
type. Table-shape corruptions live in `table_ops.py`; the layout names pick a renderer in `layouts.py`.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from collections.abc import Iterable

CLASSIC_LAYOUTS: tuple[str, ...] = ("tab_rows", "one_cell_per_line", "pipes", "blank_line_between_cells")
# layouts of real publishers (issue 12): a PDF text whose labels wrap around their numbers, converter markdown
# with one table per row group, a site crawler's text with the whole report on one line
REAL_LAYOUTS: tuple[str, ...] = ("wrapped_labels", "markdown_row_groups", "one_line_glued")
LAYOUTS: tuple[str, ...] = CLASSIC_LAYOUTS + REAL_LAYOUTS
CORRUPTIONS: tuple[str, ...] = LAYOUTS + (
    "split_headers", "dropped_blank_cells", "dropped_column", "lost_rows", "glued_rows", "shifted_labels",
    "ocr_noise", "fullwidth", "thousands_sep", "markdown", "traditional", "truncated_heading", "printed_blank",
    "label_variants", "template_2019",
    # beyond the brief, seen in ../shared/pool: web chrome, page numbers, ASCII punctuation, `/` for zero,
    # PDF line breaks inside paragraphs, texts cut short
    "web_furniture", "page_breaks", "halfwidth_punct", "dash_zero", "wrapped_paragraphs", "truncated_end",
    # template forms decided per block (annotation.md, issue 12): table 三 with （六）其他处理 as one row, a table 二
    # keeping the 2019 columns in a block, reports on the pre-2019 outline (no cells)
    "merged_other_row", "hybrid_t2_block", "pre2019_outline",
)
LAYOUT_WEIGHTS: dict[str, float] = {"tab_rows": 0.42, "one_cell_per_line": 0.18, "pipes": 0.25,
                                    "blank_line_between_cells": 0.15, "wrapped_labels": 0.05,
                                    "markdown_row_groups": 0.04, "one_line_glued": 0.03}
# chance per report; blank_line_between_cells is also added to cell layouts with this chance
PROBS: dict[str, float] = {
    "blank_line_between_cells": 0.3, "split_headers": 0.35, "dropped_blank_cells": 0.25, "dropped_column": 0.08,
    "lost_rows": 0.12, "glued_rows": 0.08, "shifted_labels": 0.15, "ocr_noise": 0.08, "fullwidth": 0.06,
    "thousands_sep": 0.25, "markdown": 0.2, "traditional": 0.05, "truncated_heading": 0.08, "printed_blank": 0.08,
    "label_variants": 0.4, "template_2019": 0.07, "web_furniture": 0.3, "page_breaks": 0.15,
    "halfwidth_punct": 0.25, "dash_zero": 0.1, "wrapped_paragraphs": 0.4, "truncated_end": 0.04,
    "merged_other_row": 0.05, "hybrid_t2_block": 0.04, "pre2019_outline": 0.03,
}
# what a layout makes meaningless: page chrome, markdown headings and glued rows in a crawler's one-line text
INCOMPATIBLE: dict[str, frozenset[str]] = {
    "one_line_glued": frozenset({"page_breaks", "markdown", "glued_rows", "wrapped_paragraphs"}),
}


@dataclass
class Plan:
    layout: str  # one of LAYOUTS (blank_line_between_cells: plain cells, P015)
    pipe_kind: str = "pipe_rows"  # pipe_rows | markdown | pipe_cells
    blank_cells: bool = False
    names: set[str] = field(default_factory=set)

    def __contains__(self, name: str) -> bool:
        return name in self.names


def draw_plan(rng: random.Random, corruptions: Iterable[str] | None = None, probs: dict[str, float] | None = None,
              clean: bool = False) -> Plan:
    """Which corruptions one report gets. `corruptions` forces exactly these (layout names among them pick
    the layout; a classic layout is still drawn when none is named); `probs` overrides chances (for a layout
    other than blank_line_between_cells: its draw weight); `clean` draws none (and a classic layout)."""
    p = {**PROBS, **(probs or {})}
    unknown = (set(corruptions or ()) | set(probs or ())) - set(CORRUPTIONS)
    if unknown:
        raise ValueError(f"unknown corruption(s) {sorted(unknown)}; known: {', '.join(CORRUPTIONS)}")
    forced = None if corruptions is None else [c for c in CORRUPTIONS if c in set(corruptions)]
    layouts = [c for c in (forced or ()) if c in LAYOUTS]
    base = [l for l in LAYOUTS if l in layouts and l != "blank_line_between_cells"]
    if base:
        layout = base[0]
    elif layouts:
        layout = "blank_line_between_cells"
    else:
        weights = {k: p.get(k, w) if k != "blank_line_between_cells" else w for k, w in LAYOUT_WEIGHTS.items()}
        if forced is not None or clean:  # a forced corruption is measured on the classic layouts
            weights = {k: w for k, w in weights.items() if k in CLASSIC_LAYOUTS}
        if forced is not None:
            weights.pop("blank_line_between_cells")
        layout = rng.choices(list(weights), list(weights.values()))[0]
    pipe_kind = rng.choices(("pipe_rows", "markdown", "pipe_cells"), (0.45, 0.2, 0.35))[0]
    if forced is not None:
        names = {c for c in forced if c not in LAYOUTS}
        blank_cells = "blank_line_between_cells" in layouts and layout != "blank_line_between_cells"
    else:
        names = set() if clean else {c for c in CORRUPTIONS if c not in LAYOUTS and rng.random() < p[c]}
        blank_cells = not clean and rng.random() < p["blank_line_between_cells"]
    if blank_cells and layout == "pipes":
        pipe_kind = "pipe_cells"
    if layout in ("tab_rows", *REAL_LAYOUTS) or (layout == "pipes" and pipe_kind != "pipe_cells"):
        blank_cells = False
    names -= INCOMPATIBLE.get(layout, frozenset())
    return Plan(layout, pipe_kind, blank_cells, names)

