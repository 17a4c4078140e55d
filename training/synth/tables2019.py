"""Tables of the older template (国办公开办函〔2019〕60号 era, reports for 2019–2020), and the blocks of it that
later reports keep. The form is decided per block (annotation.md):

* table 二 in the 2019 form (本年新制作数量 … , 上一年项目数量 / 本年增/减, 第二十条第（九）项): its numbers map to no
  2021 cell id (`cell=None`); a 2021 report may keep the 2019 columns in its 第二十条第（一）项 block alone
  (`t2_rows_hybrid`), its other blocks map as usual;
* table 三 in the seven-column 2019 form (`t3_rows_merged`): the 2021 rows except that （六）其他处理 is one row with
  its own numbers. It maps like the 2021 form; the three t3.other.* sub-rows are absent. The merged row's numbers
  are carried as `MERGED_CELLS` ids (not template cells: the record lists them under `extra_cells`), which the
  identities use where they need the sum of the three sub-rows;
* table 三 with only 自然人 / 法人或其他组织 / 总计 columns (`t3_rows_narrow`): not the template's columns, not mapped.
Table 4 did not change and is rendered from the 2021 template with its cells.
"""
from __future__ import annotations

import random

from gazette_nlp.template import (APPLICANT_COLUMNS, T2_BLOCKS, T3_COLUMNS, T3_GROUPS, T3_HEADER_WORDS, T3_ROWS,
                                  t3)

from .style import Style
from .tables import CONTENT_HEADER, Field, Row, Shape, t2_rows, t3_label_fields, t3_rows

_LAST_YEAR, _CHANGE, _DECISIONS = "上一年项目数量", "本年增/减", "处理决定数量"
T2_2019: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章", "规范性文件")),
    ("第二十条第（五）项", (_LAST_YEAR, _CHANGE, _DECISIONS), ("行政许可", "其他对外管理服务事项")),
    ("第二十条第（六）项", (_LAST_YEAR, _CHANGE, _DECISIONS), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", (_LAST_YEAR, _CHANGE), ("行政事业性收费",)),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
)
T3_2019_NARROW = ((T3_COLUMNS[0][1],), (T3_HEADER_WORDS[3],), (T3_COLUMNS[-1][1],))  # 自然人 | 法人或其他组织 | 总计
OTHER_GROUP = T3_GROUPS[-1]  # （六）其他处理: one row in 2019, three sub-rows in 2021
OTHER_SUBROWS: tuple[str, ...] = tuple(r.key for r in T3_ROWS if r.group == OTHER_GROUP)
MERGED_ROW = "other_merged"  # row key of the merged （六）其他处理 row (also gazette_nlp's name for it)
MERGED_CELLS: tuple[str, ...] = tuple(t3(MERGED_ROW, k) for k, _ in T3_COLUMNS)


def _count(rng: random.Random, hi: int) -> str:
    return "0" if rng.random() < 0.5 else str(rng.randint(1, hi))


def _value(rng: random.Random, header: str) -> str:
    if header == _CHANGE:
        v = rng.choice((0, 0, 0, 1, 2, -1, -3))
        return f"+{v}" if v > 0 else str(v)
    return _count(rng, 300)


def _t2_block_2019(rng: random.Random, style: Style, shape: Shape, item: str, cols: tuple[str, ...],
                   labels: tuple[str, ...]) -> list[Row]:
    pad = 3 - len(cols) if shape.t2_pad else 0
    rows = [Row("t2", "caption", item, [Field(item)] + _empties(3 if shape.t2_pad else 0)),
            Row("t2", "header", item, [Field(CONTENT_HEADER)] + [Field(c) for c in cols] + _empties(pad))]
    for lab in labels:
        if cols == T2_2019[0][1]:  # made ≥ published this year; in force ≥ published
            made = int(_count(rng, 60))
            published = rng.randint(0, made)
            texts = [str(made), str(published), str(published + int(_count(rng, 300)))]
        else:
            texts = [_value(rng, c) for c in cols]
        vals = [Field(style.num(int(t)) if t.isdigit() else t, None, True) for t in texts]
        rows.append(Row("t2", "data", lab, [Field(style.label(lab))] + vals + _empties(pad)))
    return rows


def t2_rows_2019(rng: random.Random, style: Style, shape: Shape) -> list[Row]:
    rows: list[Row] = []
    for item, cols, labels in T2_2019:
        rows += _t2_block_2019(rng, style, shape, item, cols, labels)
    return rows


def t2_rows_hybrid(rng: random.Random, vals: dict, style: Style, shape: Shape) -> list[Row]:
    """A 2021 table 二 whose 第二十条第（一）项 block keeps the 2019 columns (not mapped); the other blocks map."""
    item, cols, labels = T2_2019[0]
    if rng.random() < 0.25:
        labels = (labels[0], "行政" + labels[1])
    return _t2_block_2019(rng, style, shape, item, cols, labels) + t2_rows(vals, style, shape, T2_BLOCKS[1:])


def merged_values(vals: dict) -> list[int]:
    """The merged （六）其他处理 row: per column, the sum of the three t3.other.* sub-rows."""
    per = [sum(vals[t3(k, c)] for k in OTHER_SUBROWS) for c in APPLICANT_COLUMNS]
    return per + [sum(per)]


def t3_rows_merged(vals: dict, style: Style, shape: Shape) -> list[Row]:
    """Table 三 in the seven-column 2019 form: mapped, but （六）其他处理 is one row with its own numbers."""
    rows = t3_rows(vals, style, shape)
    first = next(i for i, r in enumerate(rows) if r.key == OTHER_SUBROWS[0])
    label = t3_label_fields([(MERGED_ROW, OTHER_GROUP, None)], style, shape, {})[0]
    nums = [Field(style.num(v), cid, True) for v, cid in zip(merged_values(vals), MERGED_CELLS)]
    fields = [Field(x) for x in label] + nums + ([Field("")] if shape.trailing else [])
    rows[first:first + len(OTHER_SUBROWS)] = [Row("t3", "data", MERGED_ROW, fields)]
    return rows


def t3_rows_narrow(rng: random.Random, vals: dict, style: Style, shape: Shape) -> list[Row]:
    """The 2019 table 3 with only 自然人 / 法人或其他组织 / 总计 columns and (六)其他处理 as one row: not mapped."""
    meta: list[tuple[str, str, str | None]] = []
    merged: dict[str, list[str]] = {}
    for r in T3_ROWS:
        if r.group == OTHER_GROUP:
            if OTHER_GROUP not in merged:
                meta.append((OTHER_GROUP, OTHER_GROUP, None))  # the group label becomes the row label
            merged.setdefault(OTHER_GROUP, []).append(r.key)
            continue
        meta.append((r.key, r.label, r.group))
    labels = t3_label_fields(meta, style, shape, {r.key: r.aliases for r in T3_ROWS})
    rows = _narrow_headers(shape)
    for (key, _, _), lab in zip(meta, labels):
        keys = merged.get(key, [key])
        per_col = [sum(vals.get(f"t3.{k}.{c}", 0) for k in keys) for c in APPLICANT_COLUMNS]
        nums = [per_col[0], sum(per_col[1:]), sum(per_col)]
        rows.append(Row("t3", "data", key, [Field(x) for x in lab] + [Field(style.num(v), None, True) for v in nums]))
    return rows


def _narrow_headers(shape: Shape) -> list[Row]:
    h1 = [Field(T3_HEADER_WORDS[0])] + _empties(shape.head_cols - 1) + [Field(T3_HEADER_WORDS[1])] + _empties(2)
    h2 = _empties(shape.head_cols) + [Field(w[0]) for w in T3_2019_NARROW]
    return [Row("t3", "header", "h1", h1), Row("t3", "header", "h2", h2)]


def _empties(n: int) -> list[Field]:
    return [Field("") for _ in range(n)]
