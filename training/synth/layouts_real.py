"""Table layouts of real publishers (issue 12), beside the classic ones of `layouts.py`.

* `pdf` (corruption `wrapped_labels`): PDF text, fields joined by spaces, one row per line, except that a long
  table-三 label wraps around its numbers (`（二）部分公开（区分处理的，只计这一情` / `4 0 0 0 0 0 4` / `形，不计其他
  情形）`), group labels are printed vertically one character per line between the first rows of their group
  (`三` `、` `本` `年` …), and some rows print their numbers before their label.
* `mdgroups` (corruption `markdown_row_groups`): converter markdown with one markdown table per row group: the
  header rows as their own table (empty header cells as `-` placeholders), stand-alone header tables
  (`| 数据1 | … | 数据6 | 总计 |`, all-`-` placeholder tables), and each group of rows as a small table under a
  header that is a promoted data row, a `数据N` header, a `-` placeholder or a wrong (shifted) header row.
* `glued` (corruption `one_line_glued`): a crawler's flattening of an HTML table: each row's fields run together
  with no separator (`规章 000`, `一、本年新收政府信息公开申请数量640020470`), now and then a space inside a run;
  `line_ops.one_line` then puts the whole report on one line.
Every line is `table_row`; cells keep exact spans through `layouts._Builder`.
"""
from __future__ import annotations

import random
from collections import deque

from gazette_nlp.template import T3_COLUMNS, T3_ROWS

from .doc import Ln
from .layouts import LayoutOpts, _Builder
from .tables import Field, Row
from .tables2019 import MERGED_ROW, OTHER_GROUP

_T3_GROUP: dict[str, str] = {r.key: r.group or ("top" if i < 2 else "end") for i, r in enumerate(T3_ROWS)}
_T3_GROUP[MERGED_ROW] = OTHER_GROUP
_APPLICANT_WORDS = tuple(l for _, l in T3_COLUMNS)  # 自然人 商业企业 … 其他 总计


def _labels(row: Row) -> list[Field]:
    return [f for f in row.fields if not f.value and f.text]


def _values(row: Row) -> list[Field]:
    return [f for f in row.fields if f.value]


def _plain_line(b: _Builder, fields: list[Field], sep: str) -> None:
    """Non-empty fields joined by `sep` (a field holding a newline breaks the line there); printed blanks leave
    only their null cell."""
    first = True
    for f in fields:
        if not f.text and not f.blank:
            continue
        if not first and f.text:
            b.add(sep)
        b.add(f.text, f if f.value else None)
        first = first and not f.text
    b.newline()


# ---------------------------------------------------------------- PDF text: wrapped labels
def _pdf_nums(b: _Builder, vals: list[Field]) -> None:
    for i, f in enumerate(vals):
        if i and f.text:
            b.add(" ")
        b.add(f.text, f)


def _cut_label(rng: random.Random, text: str) -> tuple[str, str]:
    cut = rng.randint(max(4, len(text) // 3), len(text) - 3)
    head = text[:cut]
    if len(head) > 8 and rng.random() < 0.3:  # PDF spacing inside a line: `只计这一情 形，不`
        k = rng.randint(3, len(head) - 2)
        head = head[:k] + " " + head[k:]
    return head, text[cut:]


def _split_long_header(rng: random.Random, f: Field) -> None:
    """A long header cell (the 勾稽关系 note) broken over lines, as a narrow PDF column prints it."""
    if len(f.text) >= 16 and "\n" not in f.text and rng.random() < 0.6:
        step = rng.randint(8, 14)
        f.text = "\n".join(f.text[i:i + step] for i in range(0, len(f.text), step))


def render_pdf(rows: list[Row], o: LayoutOpts, rng: random.Random, first_block: int) -> list[Ln]:
    out: list[Ln] = []
    st = o.stats
    table = rows[0].table if rows else ""
    data = [j for j, r in enumerate(rows) if r.kind == "data" and table == "t3"]
    long = [j for j in data if len("".join(f.text for f in _labels(rows[j])[-1:])) >= 12]
    wrap = {j for j in long if rng.random() < o.rates.get("wrap", 0.5)}
    if long and not wrap:  # the layout's mark: at least one label wraps around its numbers
        wrap.add(rng.choice(long))
    chunks: deque[str] = deque()  # pieces of a vertical group label still to print, one per gap

    def flush_chunk(b: _Builder, everything: bool = False) -> None:
        while chunks:
            for ch in chunks.popleft():
                b.add(ch)
                b.newline()
            if not everything:
                break

    first = False  # this group prints its numbers before its labels (a taller label cell, centred)
    b: _Builder | None = None
    for j, row in enumerate(rows):
        b = _Builder(out, row, first_block + j)
        if j not in data:
            if row.kind == "header":
                for f in row.fields:
                    _split_long_header(rng, f)
            _plain_line(b, row.fields, " ")
            continue
        labels, vals = _labels(row), _values(row)
        group = labels[0].text if len(labels) >= 2 else ""
        item = " ".join(f.text for f in (labels[1:] if group else labels))
        if group or j == data[0]:
            first = rng.random() < o.rates.get("first", 0.1)
        if group:
            flush_chunk(b, everything=True)  # what is left of the previous group's label
            mode = rng.choices(("vertical", "own", "inline"), (o.rates.get("vertical", 0.5), 0.25, 0.25))[0]
            if mode == "vertical" and len(group) >= 3:
                chars = [c for c in group if not c.isspace()]
                slots = min(rng.randint(2, 4), sum(1 for k in data if k >= j)) + 1
                size = -(-len(chars) // slots)
                chunks.extend("".join(chars[i:i + size]) for i in range(0, len(chars), size))
                st["vertical_labels"] = st.get("vertical_labels", 0) + 1
                flush_chunk(b)
            elif mode == "own":
                b.add(group)
                b.newline()
            else:
                item = f"{group} {item}".strip()
        if j in wrap and len(item) >= 8:
            head, rest = _cut_label(rng, item)
            b.add(head)
            b.newline()
            _pdf_nums(b, vals)
            b.newline()
            b.add(rest)
            b.newline()
            st["wrapped_labels"] = st.get("wrapped_labels", 0) + 1
        elif vals and item and first:
            _pdf_nums(b, vals)
            if rng.random() < 0.5:
                b.add(" " + item)
            else:
                b.newline()
                b.add(item)
            b.newline()
            st["numbers_first"] = st.get("numbers_first", 0) + 1
        else:
            if item:
                b.add(item + (" " if vals else ""))
            _pdf_nums(b, vals)
            b.newline()
        flush_chunk(b)
    if b is not None:
        flush_chunk(b, everything=True)
    return out


# ---------------------------------------------------------------- converter markdown: one table per row group
def _segments(rows: list[Row], rng: random.Random) -> list[tuple[str, list[int]]]:
    """(head | data, row indices): header rows together, data rows cut at their row groups (t3), blocks (t2)."""
    table = rows[0].table
    segs: list[tuple[str, list[int]]] = []
    prev_group = None
    for j, row in enumerate(rows):
        kind = "data" if row.kind == "data" else "head"
        group = _T3_GROUP.get(row.key, row.key) if table == "t3" else None
        new = not segs or segs[-1][0] != kind
        if not new and kind == "data" and table == "t3" and group != prev_group and rng.random() < 0.75:
            new = True
        if not new and kind == "head" and row.kind == "caption":  # t2: each 第二十条 block its own tables
            new = True
        if new:
            segs.append((kind, [j]))
        else:
            segs[-1][1].append(j)
        prev_group = group
    return segs


def _pad_data(fields: list[Field], width: int) -> list[Field]:
    """Empties inserted before the first number so that numbers line up at the right edge."""
    if len(fields) >= width:
        return fields
    k = next((i for i, f in enumerate(fields) if f.value), len(fields))
    return fields[:k] + [Field("") for _ in range(width - len(fields))] + fields[k:]


def _md_row(b: _Builder, fields: list[Field], empty: str = "") -> None:
    b.add("| ")
    for i, f in enumerate(fields):
        if i:
            b.add(" | ")
        text = f.text.replace("\n", " ")
        b.add(text or ("" if f.value else empty), f if f.value else None)
    b.add(" |")
    b.newline()


def _md_sep(b: _Builder, width: int, form: str) -> None:
    b.add("|" + "|".join([form] * width) + "|")
    b.newline()


def _data_header(table: str, fields: list[Field]) -> list[str]:
    """`数据1` … over the number columns of `fields` (a padded row), `总计` over table 三's last one."""
    nvals = sum(1 for f in fields if f.value)
    names = iter([f"数据{i + 1}" for i in range(nvals - 1)]
                 + [_APPLICANT_WORDS[-1] if table == "t3" and nvals == len(T3_COLUMNS) else f"数据{nvals}"])
    return [next(names) if f.value else "" for f in fields]


def render_md_groups(rows: list[Row], o: LayoutOpts, rng: random.Random, first_block: int) -> list[Ln]:
    out: list[Ln] = []
    if not rows:
        return out
    st = o.stats
    table = rows[0].table
    sep = rng.choice((" --- ", "---", " :--- ", " --- "))
    dash = rng.random() < 0.6  # empty header cells printed as `-` placeholders
    nvals = max((len(_values(r)) for r in rows), default=0)
    for seg_kind, idx in _segments(rows, rng):
        if out:
            b0 = _Builder(out, rows[idx[0]], first_block + idx[0])
            b0.blank()
        seg = [rows[j] for j in idx]
        width = max(len(r.fields) for r in seg)
        if seg_kind == "head":
            for k, (j, row) in enumerate(zip(idx, seg)):
                b = _Builder(out, row, first_block + j)
                fields = row.fields + [Field("") for _ in range(width - len(row.fields))]
                _md_row(b, fields, "-" if dash else "")
                if k == 0:
                    _md_sep(b, width, sep)
            if table == "t3" and seg[0].key == "h1":  # stand-alone header tables under the applicant header
                b = _Builder(out, seg[-1], first_block + idx[-1])
                if rng.random() < 0.5:
                    b.blank()
                    _md_row(b, [Field(t) for t in _data_header(table, [Field("", None, True)] * nvals)])
                    _md_sep(b, nvals, sep)
                    st["data_header_tables"] = st.get("data_header_tables", 0) + 1
                if rng.random() < 0.5:
                    b.blank()
                    _md_row(b, [Field("-") for _ in range(width)])
                    _md_sep(b, width, sep)
                    if rng.random() < 0.5:
                        _md_row(b, [Field("-") for _ in range(width)])
                    st["placeholder_tables"] = st.get("placeholder_tables", 0) + 1
            continue
        last_groups = any(_T3_GROUP.get(r.key) in (OTHER_GROUP, "end") for r in seg) if table == "t3" else False
        style = rng.choices(("promote", "data", "dash", "wrong"),
                            (0.35, 0.25, 0.2, 0.6 if last_groups else 0.1 if table == "t3" else 0.0))[0]
        st[f"{style}_headers"] = st.get(f"{style}_headers", 0) + 1
        b = _Builder(out, seg[0], first_block + idx[0])
        if style != "promote":
            if style == "data":
                head = _data_header(table, _pad_data(seg[0].fields, width) + [Field("")] * width)[:width]
            elif style == "dash":
                head = ["-"] * width
            else:  # wrong: the applicant words shifted left onto the label columns
                head = (list(_APPLICANT_WORDS) + [""] * width)[:width]
            _md_row(b, [Field(t) for t in head])
            _md_sep(b, width, sep)
        for k, (j, row) in enumerate(zip(idx, seg)):
            if k:
                b = _Builder(out, row, first_block + j)
            _md_row(b, _pad_data(row.fields, width))
            if k == 0 and style == "promote":  # the converter took the first row for the header
                _md_sep(b, width, sep)
    return out


# ---------------------------------------------------------------- crawler text: fields run together
def render_glued(rows: list[Row], o: LayoutOpts, rng: random.Random, first_block: int) -> list[Ln]:
    out: list[Ln] = []
    space = o.rates.get("space", 0.03)
    for j, row in enumerate(rows):
        b = _Builder(out, row, first_block + j)
        prev: str | None = None
        for f in row.fields:
            if not f.text:
                if f.blank:
                    b.add("", f)
                continue
            kind = "value" if f.value else "label"
            if prev is not None:
                if kind == "value" and prev == "label":
                    b.add(" " if rng.random() < 0.2 else "")
                elif kind == "value":
                    b.add(" " if rng.random() < space else "")
                elif rng.random() < 0.08:
                    b.add(" ")
            b.add(f.text, f if f.value else None)
            prev = kind
        b.newline()
    return out
