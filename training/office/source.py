"""A report as the blocks of an office document: title (issuer, year), headings, body paragraphs, and the three
template tables placed where the report printed them, built from the gold cells (not from the printed rows).

The texts come from gold-format records (`../shared/reports` + `../shared/gold`, or `training.synth` records): every
line carries a label (heading / narrative / table_row / other). Headings and paragraphs are kept as printed (minus
markdown markers; lines a PDF broke mid-paragraph are joined back); the table rows are replaced by one real table
per template table, at the place of the first of its rows, filled from the gold cells. Rows whose cells are all
absent from the gold are left out (a report whose extraction lost rows keeps its gold exact); a `None` cell is a
printed blank and stays an empty table cell.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazette_nlp.template import T2_BLOCKS, T3_ROWS, T4_GROUPS, T4_KEYS, T3_COLUMNS

_MD = re.compile(r"^\s*#+\s*")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TOP = re.compile(r"^\s*[一二三四五六七八九十]+\s*、")
_SUB = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]")
_FURNITURE = re.compile(r"^\s*(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页.*|\d+\s*/\s*\d+|https?://\S+)\s*$")

# keywords that say which template table a printed table row belongs to (checked in this order)
_TABLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("t4", ("行政复议", "行政诉讼", "结果维持", "结果纠正", "尚未审结", "复议后起诉", "直接起诉")),
    ("t2", ("第二十条", "信息内容", "规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费",
            "本年制发", "本年处理决定")),
    ("t3", ("申请", "勾稽", "自然人", "法人", "商业企业", "予以公开", "部分公开", "不予公开", "国家秘密", "无法提供",
            "不予处理", "其他处理", "办理结果", "结转", "属于", "补正", "公开出版物", "信访")),
)


@dataclass
class Block:
    kind: str  # title | heading | subheading | para | signature | table
    text: str = ""
    table: str = ""  # t2 | t3 | t4 for kind == table


@dataclass
class OfficeReport:
    name: str
    source: str
    issuer: str
    year: int
    blocks: list[Block]
    cells: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def clean_text(text: str) -> str:
    return _MD.sub("", text).replace("**", "").strip().strip("\u3000").strip()


def _table_of(text: str) -> str | None:
    squashed = re.sub(r"\s+", "", text)
    for key, words in _TABLE_WORDS:
        if any(w in squashed for w in words):
            return key
    return None


def split_title(headings: list[str]) -> tuple[str, int, int]:
    """(issuer, year, number of leading headings that form the title) from the first heading lines."""
    for k, h in enumerate(headings):
        m = _YEAR.search(h)
        if not m:
            continue
        before = re.sub(r"政府信息公开工作$", "", h[: m.start()].strip()).strip()
        if not before and k:
            before = headings[k - 1].strip()
        return re.sub(r"\s+", "", before), int(m.group(1)), k + 1
    raise ValueError(f"no year in the title lines {headings!r}")


def from_record(name: str, source: str, lines: list[dict], paragraphs: list[dict], cells: dict[str, Any]) -> OfficeReport:
    """Blocks from gold-format `lines` ({n, text, label}) and `paragraphs` ({n}); tables from `cells`."""
    para_starts = {p["n"] for p in paragraphs}
    heads: list[str] = []  # the leading title lines (a web page's title and the document's own, both dropped)
    for l in lines:
        text = clean_text(l["text"])
        if l["label"] != "heading" or _TOP.match(text) or _SUB.match(text):
            break
        heads.append(text)
    issuer, year, _ = split_title(heads)
    n_title = len(heads)
    blocks: list[Block] = [Block("title", issuer), Block("title", f"{year}年政府信息公开工作年度报告")]
    present = {cid.split(".", 1)[0] for cid in cells}
    placed: set[str] = set()
    current: str | None = None
    prev_label = None
    seen_heads = 0
    for line in lines:
        label, raw = line["label"], line["text"]
        text = clean_text(raw)
        if label == "heading" and seen_heads < n_title:
            seen_heads += 1
            prev_label = label
            continue
        if label == "table_row":
            key = _table_of(raw) or current or "t2"
            current = key
            if key in present and key not in placed:
                placed.add(key)
                blocks.append(Block("table", table=key))
        elif not text:
            continue
        elif label == "heading":
            blocks.append(Block("subheading" if _SUB.match(text) and not _TOP.match(text) else "heading", text))
        elif label == "narrative":
            if line["n"] not in para_starts and prev_label == "narrative" and blocks and blocks[-1].kind == "para":
                blocks[-1].text += text
            else:
                blocks.append(Block("para", text))
        elif label == "other":
            if not _FURNITURE.match(text):
                blocks.append(Block("signature", text))
        prev_label = label
    missing = sorted(present - placed)
    if missing:
        raise ValueError(f"{name}: cells of {missing} but no printed rows to place the table at")
    return OfficeReport(name, source, issuer, year, blocks, dict(cells))


def from_shared(report_txt: Path, gold_json: Path) -> OfficeReport:
    gold = json.loads(Path(gold_json).read_text(encoding="utf-8"))
    return from_record(report_txt.stem, f"shared/reports/{report_txt.name}", gold["lines"], gold["paragraphs"],
                       gold["cells"])


def from_synth(seed: int, profile: str | None = None) -> OfficeReport:
    """A generated report (`training.synth.generate_report(seed, clean=True)`), 2021 template forms only."""
    from training.synth import generate_report

    opts: dict[str, Any] = {"clean": True}
    if profile:
        opts["profile"] = profile
    rec = generate_report(seed, **opts)
    if rec.get("template") != "2021" or any(not c.startswith(("t2.", "t3.", "t4.")) for c in rec["cells"]):
        raise ValueError(f"synth seed {seed}: template {rec.get('template')!r}, not the 2021 form")
    src = f"training.synth.generate_report({seed}, clean=True{', profile=' + repr(profile) if profile else ''})"
    return from_record(f"synth_{seed}", src, rec["lines"], rec.get("paragraphs", []), rec["cells"])


# ---------------------------------------------------------------- the tables as grids of merged cells
@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # label | group | header | value


@dataclass
class Grid:
    table: str
    n_cols: int
    n_rows: int = 0
    header_rows: int = 0  # rows repeated at the top of each page
    cells: list[Cell] = field(default_factory=list)
    value_cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # cell id -> (row, col)

    def add(self, *args: Any, **kw: Any) -> None:
        self.cells.append(Cell(*args, **kw))


def fmt_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.4f}".rstrip("0").rstrip(".")
    raise TypeError(f"cell value {v!r}")


def t2_grid(cells: dict[str, Any]) -> Grid:
    """Four columns: 信息内容 + up to three value columns; one-column blocks merge the value columns."""
    g = Grid("t2", 4)
    r = 0
    for b in T2_BLOCKS:
        rows = [(rk, rl) for rk, rl in b.rows if any(f"t2.{rk}.{ck}" in cells for ck, _ in b.columns)]
        if not rows:
            continue
        g.add(r, 0, b.item, colspan=4, kind="header")
        r += 1
        g.add(r, 0, "信息内容", kind="header")
        span = 3 // len(b.columns)
        for j, (_, head) in enumerate(b.columns):
            g.add(r, 1 + j * span, head, colspan=span, kind="header")
        r += 1
        for rk, rl in rows:
            g.add(r, 0, rl)
            for j, (ck, _) in enumerate(b.columns):
                cid = f"t2.{rk}.{ck}"
                g.add(r, 1 + j * span, fmt_value(cells.get(cid)), colspan=span, kind="value")
                if cid in cells:
                    g.value_cells[cid] = (r, 1 + j * span)
            r += 1
    g.n_rows = r
    return g


T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def t3_grid(cells: dict[str, Any]) -> Grid:
    """Ten columns: group | item | sub-item labels, then 自然人, five 法人或其他组织 columns and 总计; three header rows."""
    g = Grid("t3", 10, header_rows=3)
    g.add(0, 0, T3_NOTE, rowspan=3, colspan=3, kind="header")
    g.add(0, 3, "申请人情况", colspan=7, kind="header")
    g.add(1, 3, "自然人", rowspan=2, kind="header")
    g.add(1, 4, "法人或其他组织", colspan=5, kind="header")
    g.add(1, 9, "总计", rowspan=2, kind="header")
    for j, (_, head) in enumerate(T3_COLUMNS[1:6]):
        g.add(2, 4 + j, head, kind="header")
    rows = [row for row in T3_ROWS if any(f"t3.{row.key}.{ck}" in cells for ck, _ in T3_COLUMNS)]
    r = 3
    # outcome rows (一)…(七) sit under the vertical group label 三、本年度办理结果; sub-rows under their group label
    outcome = [i for i, row in enumerate(rows) if row.is_component or row.key == "total"]
    if outcome:
        g.add(r + outcome[0], 0, "三、本年度办理结果", rowspan=len(outcome), kind="group")
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.key in ("new", "carried_over", "carried_forward"):
            g.add(r, 0, row.label, colspan=3)
        elif row.group and row.group != "三、本年度办理结果":
            n = 1
            while i + n < len(rows) and rows[i + n].group == row.group:
                n += 1
            g.add(r, 1, row.group, rowspan=n, kind="group")
            for k in range(n):
                sub = rows[i + k]
                g.add(r + k, 2, sub.label)
                _t3_values(g, cells, sub.key, r + k)
            r += n
            i += n
            continue
        else:
            g.add(r, 1, row.label, colspan=2)
        _t3_values(g, cells, row.key, r)
        r += 1
        i += 1
    g.n_rows = r
    return g


def _t3_values(g: Grid, cells: dict[str, Any], key: str, r: int) -> None:
    for j, (ck, _) in enumerate(T3_COLUMNS):
        cid = f"t3.{key}.{ck}"
        g.add(r, 3 + j, fmt_value(cells.get(cid)), kind="value")
        if cid in cells:
            g.value_cells[cid] = (r, 3 + j)


def t4_grid(cells: dict[str, Any]) -> Grid:
    """Fifteen columns under a three-row header: 行政复议 (5) | 行政诉讼 (未经复议直接起诉 5, 复议后起诉 5)."""
    g = Grid("t4", 15, header_rows=3)
    g.add(0, 0, T4_GROUPS[0][1], colspan=5, kind="header")
    g.add(0, 5, "行政诉讼", colspan=10, kind="header")
    for k, (_, kl) in enumerate(T4_KEYS):
        g.add(1, k, kl, rowspan=2, kind="header")
    for gi, (_, gl) in enumerate(T4_GROUPS[1:]):
        g.add(1, 5 + 5 * gi, gl, colspan=5, kind="header")
        for k, (_, kl) in enumerate(T4_KEYS):
            g.add(2, 5 + 5 * gi + k, kl, kind="header")
    for gi, (gk, _) in enumerate(T4_GROUPS):
        for k, (kk, _) in enumerate(T4_KEYS):
            cid = f"t4.{gk}.{kk}"
            g.add(3, 5 * gi + k, fmt_value(cells.get(cid)), kind="value")
            if cid in cells:
                g.value_cells[cid] = (3, 5 * gi + k)
    g.n_rows = 4
    return g


GRIDS = {"t2": t2_grid, "t3": t3_grid, "t4": t4_grid}
