"""Tables 2 and 3 of the older template (国办公开办函〔2019〕60号 era, reports for 2019–2020).

They print numbers that map to no 2021 cell id (annotation.md: not force-mapped), so every value field here has
`cell=None`. Table 4 did not change and is rendered from the 2021 template with its cells.
"""
from __future__ import annotations

import random

from gazette_nlp.template import (APPLICANT_COLUMNS, T3_COLUMNS, T3_GROUPS, T3_HEADER_WORDS, T3_ROWS,
                                  TEMPLATE_2019_MARKERS)

from .style import Style
from .tables import CONTENT_HEADER, Field, Row, Shape, t3_header_rows, t3_label_fields

_LAST_YEAR, _CHANGE, _DECISIONS = "上一年项目数量", "本年增/减", "处理决定数量"
T2_2019: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("第二十条第（一）项", TEMPLATE_2019_MARKERS, ("规章", "规范性文件")),
    ("第二十条第（五）项", (_LAST_YEAR, _CHANGE, _DECISIONS), ("行政许可", "其他对外管理服务事项")),
    ("第二十条第（六）项", (_LAST_YEAR, _CHANGE, _DECISIONS), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", (_LAST_YEAR, _CHANGE), ("行政事业性收费",)),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
)
T3_2019_NARROW = ((T3_COLUMNS[0][1],), (T3_HEADER_WORDS[3],), (T3_COLUMNS[-1][1],))  # 自然人 | 法人或其他组织 | 总计


def _count(rng: random.Random, hi: int) -> str:
    return "0" if rng.random() < 0.5 else str(rng.randint(1, hi))


def _value(rng: random.Random, header: str) -> str:
    if header == _CHANGE:
        v = rng.choice((0, 0, 0, 1, 2, -1, -3))
        return f"+{v}" if v > 0 else str(v)
    return _count(rng, 300)


def t2_rows_2019(rng: random.Random, style: Style, shape: Shape) -> list[Row]:
    rows: list[Row] = []
    for item, cols, labels in T2_2019:
        pad = 3 - len(cols) if shape.t2_pad else 0
        rows.append(Row("t2", "caption", item, [Field(item)] + _empties(3 if shape.t2_pad else 0)))
        rows.append(Row("t2", "header", item, [Field(CONTENT_HEADER)] + [Field(c) for c in cols] + _empties(pad)))
        for lab in labels:
            vals = [Field(_value(rng, c), None, True) for c in cols]
            rows.append(Row("t2", "data", lab, [Field(style.label(lab))] + vals + _empties(pad)))
    return rows


def t3_rows_2019(rng: random.Random, vals: dict, style: Style, shape: Shape) -> list[Row]:
    """The 2019 table 3: (六)其他处理 is one row; sometimes only 自然人 / 法人或其他组织 / 总计 columns."""
    narrow = rng.random() < 0.4
    meta: list[tuple[str, str, str | None]] = []
    merged: dict[str, list[str]] = {}
    last_group = T3_GROUPS[-1]  # （六）其他处理: one row in 2019, three sub-rows in 2021
    for r in T3_ROWS:
        if r.group == last_group:
            if last_group not in merged:
                meta.append((last_group, last_group, None))  # the group label becomes the row label
            merged.setdefault(last_group, []).append(r.key)
            continue
        meta.append((r.key, r.label, r.group))
    labels = t3_label_fields(meta, style, shape, {r.key: r.aliases for r in T3_ROWS})
    rows = t3_header_rows(shape) if not narrow else _narrow_headers(shape)
    for (key, _, _), lab in zip(meta, labels):
        keys = merged.get(key, [key])
        per_col = [sum(vals.get(f"t3.{k}.{c}", 0) for k in keys) for c in APPLICANT_COLUMNS]
        nums = [per_col[0], sum(per_col[1:]), sum(per_col)] if narrow else per_col + [sum(per_col)]
        rows.append(Row("t3", "data", key, [Field(x) for x in lab] + [Field(style.num(v), None, True) for v in nums]))
    return rows


def _narrow_headers(shape: Shape) -> list[Row]:
    h1 = [Field(T3_HEADER_WORDS[0])] + _empties(shape.head_cols - 1) + [Field(T3_HEADER_WORDS[1])] + _empties(2)
    h2 = _empties(shape.head_cols) + [Field(w[0]) for w in T3_2019_NARROW]
    return [Row("t3", "header", "h1", h1), Row("t3", "header", "h2", h2)]


def _empties(n: int) -> list[Field]:
    return [Field("") for _ in range(n)]
