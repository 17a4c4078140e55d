"""Tables 2–4 of the 2021 template as rows of fields, read from `gazette_nlp.template`.

Rows follow the printed grid: table 3 has three label columns (group | item | sub-item) before its seven value
columns, merged cells leave empty fields, and a `shape` says how many of those empties this extraction keeps
(the reports differ: `三、本年度办理结果\t(一) 予以公开\t\t0…` vs `三、本年度办理结果\t(一) 予以公开\t0…`).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from gazette_nlp.template import (T2_BLOCKS, T2_HEADER_ALIASES, T3_COLUMNS, T3_HEADER_WORDS, T3_ROWS, T4_GROUPS,
                                  T4_HEADER_WORDS, T4_KEYS, T2Block, t3)

from .style import Style

CONTENT_HEADER = "信息内容"  # the first header cell of every table-2 block (not in template.py's named constants)
_TOP_LEVEL = re.compile(r"^[一二三四五六七八九十]+、")


@dataclass(slots=True, eq=False)  # identity matters: corruptions move and remove fields
class Field:
    text: str
    cell: str | None = None  # 2021 cell id printed here
    value: bool = False  # a number slot (2019 values are slots without a cell)
    blank: bool = False  # a value slot printed empty


@dataclass(slots=True, eq=False)
class Row:
    table: str
    kind: str  # caption | header | data
    key: str
    fields: list[Field]
    inferred: list[str] = field(default_factory=list)

    @property
    def values(self) -> list[Field]:
        return [f for f in self.fields if f.value]


@dataclass
class Shape:
    """Which empty fields of merged cells one extraction prints."""

    t2_pad: bool = True
    top_pad: int = 0  # after 一、/二、/四、 labels spanning the label columns
    item_pad: int = 0  # after (一)予以公开 / (七)总计
    sub_pad: int = 0  # after 1.属于国家秘密
    trailing: bool = False
    head_cols: int = 1  # label columns in table-3 header rows
    total_in_first: bool = True  # 总计 printed in the first header row (else the second)
    compact_headers: bool = False  # one-cell-per-line extractions drop most header empties

    @classmethod
    def draw(cls, rng: random.Random, cell_layout: bool) -> "Shape":
        if cell_layout:
            return cls(False, 0, 0, 0, False, rng.choice((1, 2)), rng.random() < 0.3, True)
        return cls(rng.random() < 0.85, rng.choice((0, 0, 1, 2)), rng.choice((0, 0, 1)), rng.choice((0, 0, 1)),
                   rng.random() < 0.3, rng.choice((1, 1, 2)), rng.random() < 0.6, False)


def _f(texts: list[str]) -> list[Field]:
    return [Field(t) for t in texts]


def _num(style: Style, vals: dict, cid: str) -> Field:
    return Field(style.num(vals[cid], cid.split(".", 1)[0]), cid, True)


def t2_rows(vals: dict, style: Style, shape: Shape, blocks: tuple[T2Block, ...] = T2_BLOCKS) -> list[Row]:
    width = max(len(b.columns) for b in T2_BLOCKS)
    rows: list[Row] = []
    for b in blocks:
        pad = [""] * (width - len(b.columns)) if shape.t2_pad else []
        rows.append(Row("t2", "caption", b.item, _f([b.item] + ([""] * width if shape.t2_pad else []))))
        heads = [style.label(h, T2_HEADER_ALIASES.get(h, ())) for _, h in b.columns]
        rows.append(Row("t2", "header", b.item, _f([CONTENT_HEADER] + heads + pad)))
        for rk, rl in b.rows:
            cells = [_num(style, vals, f"t2.{rk}.{ck}") for ck, _ in b.columns]
            rows.append(Row("t2", "data", rk, [Field(style.label(rl))] + cells + _f(pad)))
    return rows


def t3_header_rows(shape: Shape) -> list[Row]:
    note, applicant, legal = T3_HEADER_WORDS[0], T3_HEADER_WORDS[1], T3_HEADER_WORDS[3]
    natural, orgs, total = T3_COLUMNS[0][1], [l for _, l in T3_COLUMNS[1:-1]], T3_COLUMNS[-1][1]
    lead = [""] * shape.head_cols
    h1 = [note] + lead[1:] + [applicant] + [""] * (len(T3_COLUMNS) - 2) + [total if shape.total_in_first else ""]
    h2 = lead + [natural, legal] + [""] * (len(orgs) - 1) + ["" if shape.total_in_first else total]
    h3 = lead + [""] + orgs + [""]
    rows = [Row("t3", "header", "h1", _f(h1)), Row("t3", "header", "h2", _f(h2)), Row("t3", "header", "h3", _f(h3))]
    if shape.compact_headers:
        for r in rows:
            r.fields = [f for i, f in enumerate(r.fields) if f.text or i < shape.head_cols]
    return rows


def t3_label_fields(rows_meta: list[tuple[str, str, str | None]], style: Style, shape: Shape,
                    aliases: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Label fields of each table-3 row (key, label, group) in grid position."""
    out: list[list[str]] = []
    prev_group: str | None = None
    for key, label, group in rows_meta:
        lab = style.label(label, aliases.get(key, ()))
        if group is None and _TOP_LEVEL.match(label):
            fields = [lab] + [""] * shape.top_pad
        elif group is None:
            fields = ["", lab] + [""] * shape.item_pad
        elif _TOP_LEVEL.match(group):
            fields = [style.label(group) if group != prev_group else "", lab] + [""] * shape.item_pad
        else:
            fields = ["", style.label(group) if group != prev_group else "", lab] + [""] * shape.sub_pad
        prev_group = group
        out.append(fields)
    return out


def t3_rows(vals: dict, style: Style, shape: Shape) -> list[Row]:
    rows = t3_header_rows(shape)
    meta = [(r.key, r.label, r.group) for r in T3_ROWS]
    labels = t3_label_fields(meta, style, shape, {r.key: r.aliases for r in T3_ROWS})
    for r, lab in zip(T3_ROWS, labels):
        cells = [_num(style, vals, t3(r.key, ck)) for ck, _ in T3_COLUMNS]
        rows.append(Row("t3", "data", r.key, _f(lab) + cells + ([Field("")] if shape.trailing else [])))
    return rows


def t4_rows(vals: dict, style: Style, shape: Shape) -> list[Row]:
    groups = [l for _, l in T4_GROUPS]
    keys = [l for _, l in T4_KEYS]
    litigation = T4_HEADER_WORDS[1]  # 行政诉讼 spans the two litigation groups
    n = len(keys)
    rows = [Row("t4", "header", "h1", _f([groups[0]] + [""] * (n - 1) + [litigation] + [""] * (2 * n - 1))),
            Row("t4", "header", "h2", _f(keys + [groups[1]] + [""] * (n - 1) + [groups[2]] + [""] * (n - 1))),
            Row("t4", "header", "h3", _f([""] * n + keys + keys))]
    if shape.compact_headers:
        for r in rows:
            r.fields = [f for f in r.fields if f.text] if r.key != "h3" else r.fields
    cells = [_num(style, vals, f"t4.{g}.{k}") for g, _ in T4_GROUPS for k, _ in T4_KEYS]
    rows.append(Row("t4", "data", "values", cells))
    return rows
