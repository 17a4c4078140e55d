"""Which printed row is which template row, and where table 4's values are.

Row labels are matched fuzzily against the template (`labels.match_label`), and a monotone alignment (rows
follow the template order, each row at most once) picks which label is which row: shifted or truncated
labels, header words that look like row labels ('其他', '总计') and stray matches resolve by order. The
row's cells are the slots of its segment; table 4 is the unlabelled run of numbers after its header words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import template as T
from ..model import Report
from ..textnorm import squash_normalised
from .labels import ROW_BY_KEY, ROWS, RowDef, is_t4_word, t4_group_of
from .numbers import Token
from .stream import Segment, markdown_style, segments, table_zone, token_stream


@dataclass
class RowRead:
    row: RowDef
    label: Token
    score: float
    slots: list[Token]
    cut: bool = False  # the text ends inside this row
    seg: int = -1  # index of its segment


@dataclass
class Layout:
    segments: list[Segment]
    rows: list[RowRead]
    t4: list[tuple[str | None, int, list[Token], bool]]  # (group key or None = whole table, line, slots, cut)
    t4_found: bool
    t2_blocks: list[tuple[str, str]]  # (第二十条 item as printed, its form '2021' | '2019'), in order
    t2_row_forms: dict[str, str]  # table-2 row key → the form of the block it was printed in
    t3_columns: str | None  # '2021' | '2019' | None (no header seen)
    cut_token: Token | None
    merged_other: RowRead | None = None  # '（六）其他处理' printed as one valued row (the 2019 form of table 3)
    glued_lines: frozenset[int] = frozenset()  # lines cut from a line that lost its breaks (`resegment`)
    markdown: bool = False  # rows printed as markdown table rows ('| a | b |')


def _align_rows(segs: list[Segment]) -> list[tuple[int, int, float]]:
    """Monotone alignment of label tokens to template rows: [(segment index, label index, row order)].

    Weighted longest increasing chain: every row at most once, rows in template order; a label followed
    by numbers weighs more than one that is not (a header word that happens to look like a row).
    """
    n_rows = len(ROWS)
    best = [0.0] * (n_rows + 1)  # best[r + 1]: best chain score ending at a row of order <= r
    arg: list[tuple | None] = [None] * (n_rows + 1)
    for si, seg in enumerate(segs):
        cand_last = max((i for i, m in enumerate(seg.matches) if m.row), default=-1)
        for li, m in enumerate(seg.matches):
            key, score = m.row, m.row_score
            if not key and m.tied_row and len(seg.labels) == 1 \
                    and _numbers(seg) == len(ROW_BY_KEY[m.tied_row].cells):
                # '其他' / '总计' without numbering, alone on its row and followed by a full row of numbers:
                # the row that lost its numbering — but weaker than any numbered label
                key, score, cand_last = m.tied_row, m.row_score - 0.3, li
            if not key:
                continue
            r = _ORDER[key]
            score += 0.3 if li == cand_last and seg.has_numbers else 0.0
            val = best[r] + score  # best chain over rows < r
            if val > best[r + 1]:
                new = (val, (si, li, r, arg[r]))
                # propagate the prefix maximum upwards
                for k in range(r + 1, n_rows + 1):
                    if new[0] > best[k]:
                        best[k], arg[k] = new[0], new[1]
                    else:
                        break
    chain: list[tuple[int, int, float]] = []
    node = arg[n_rows]
    while node:
        si, li, r, prev = node
        chain.append((si, li, r))
        node = prev
    return chain[::-1]


def _numbers(seg: Segment) -> int:
    return sum(t.kind == "num" for t in seg.slots)


_ORDER = {r.key: r.order for r in ROWS}
_T2_2021_COLS = tuple(squash_normalised(w) for w in T.TEMPLATE_2021_MARKERS[:2])  # 本年制发件数, 现行有效件数
# 2019 header words, and words of the 2019 table 2 that no 2021 block prints (not '处理决定数量': it is inside
# the 2021 '本年处理决定数量')
_T2_2019_COLS = tuple(squash_normalised(w) for w in T.TEMPLATE_2019_MARKERS + ("采购项目数量", "采购总金额", "其他对外管理服务事项"))
# the organisation columns that only the 2021 table 3 prints (商业企业 …), also split ('商业' / '企业')
_ORG_COLS = [l for _, l in T.T3_COLUMNS[1:5]]
_T3_2021_COLS = tuple(squash_normalised(w) for w in
                      _ORG_COLS + [a for a, b in T.SPLIT_HEADER_WORDS if a + b in _ORG_COLS])
_T3_2019_COLS = {squash_normalised(T.T3_COLUMNS[0][1]), squash_normalised("法人或其他组织")}


def read_layout(report: Report) -> Layout:
    lo, hi = table_zone(report)
    stream = token_stream(report, lo, hi)
    cut = _cut_number(report, stream, hi)
    last = next((ln.n for ln in reversed(report.lines) if not ln.blank), 0)
    ends_in_zone = last <= hi and bool(stream) and stream[-1].kind != "barrier"  # text cut inside a table
    segs = segments(stream)
    chain = _align_rows(segs)
    rows: list[RowRead] = []
    last_of_seg = {}
    for si, li, r in chain:
        last_of_seg[si] = li
    for si, li, r in chain:
        seg = segs[si]
        slots = seg.slots if last_of_seg[si] == li else []
        rows.append(RowRead(ROWS[r], seg.labels[li], seg.matches[li].row_score, slots,
                            cut=(cut is not None and any(t is cut for t in seg.slots))
                            or (ends_in_zone and si == len(segs) - 1), seg=si))
    if cut is not None:  # the cut number is not a visible cell
        for rr in rows:
            rr.slots = [t for t in rr.slots if t is not cut]
    _pass_on_second_row(rows, segs)
    t4, t4_found = _table4(segs, chain, cut, segs[-1] if ends_in_zone and segs else None)
    blocks, row_forms = _t2_forms(segs, chain)
    sub_rows = any(rr.row.key.startswith("t3.other.") for rr in rows)
    merged = None if sub_rows else _merged_other_row(segs, cut, ends_in_zone)
    glued = frozenset(ln.n for ln in report.lines[lo - 1:hi] if ln.glued)
    return Layout(segs, rows, t4, t4_found, blocks, row_forms, _t3_columns(segs, chain), cut, merged, glued,
                  markdown_style(report.lines[lo - 1:hi]) == "markdown")


def _pass_on_second_row(rows: list[RowRead], segs: list[Segment]) -> None:
    """Rows whose labels a PDF printed after their numbers (a label centred in a tall cell). Read in order,
    the first such row's numbers land on the row above, which then holds two full rows (or, at the top of a
    table, on the header words before it), every later row holds its successor's, and the last holds none.
    Such a chain (2k or an orphan k, then k, …, k, then 0 numbers; each shifted set on lines of its own, after
    the label it landed on) is passed down by one row."""
    def nums(slots: list[Token]) -> list[Token]:
        return [t for t in slots if t.kind == "num"]

    chained = {rr.seg for rr in rows}
    for i, a in enumerate(rows):
        k = len(a.row.cells)
        own = nums(a.slots)
        orphan = segs[a.seg - 1] if a.seg > 0 and a.seg - 1 not in chained else None
        if orphan is not None and k >= 2 and len(nums(orphan.slots)) == k and not orphan.end_heading \
                and (not orphan.labels or nums(orphan.slots)[0].line > orphan.labels[-1].line):
            start, carry_from = i, orphan  # the numbers of `a` were printed before it, under the header
        elif len(own) == 2 * k and own[k - 1].line < own[k].line:
            start, carry_from = i + 1, a
        else:
            continue
        j = start
        while j < len(rows) and len(rows[j].row.cells) == k and len(nums(rows[j].slots)) == k \
                and nums(rows[j].slots)[0].line > rows[j].label.line:
            j += 1
        if j == len(rows) or len(rows[j].row.cells) != k or nums(rows[j].slots):
            continue
        extra = nums(carry_from.slots)[-k]
        at = carry_from.slots.index(extra)
        carry, carry_from.slots = carry_from.slots[at:], carry_from.slots[:at]
        for rr in rows[start:j + 1]:
            mine = nums(rr.slots)
            at = rr.slots.index(mine[0]) if mine else len(rr.slots)
            rr.slots, carry = carry + rr.slots[:at], rr.slots[at:]


_ITEM_NUMBER = re.compile(r"[(（]\s*([一二三四五六七八九十]{1,2})\s*[)）]")


def _t2_forms(segs: list[Segment], chain) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The form of each 第二十条 block, decided by its own header words: 2019 columns (本年新制作数量,
    上一年项目数量, …) make it a 2019 block, whatever the other blocks print."""
    row_at = {(si, li): ROWS[r] for si, li, r in chain}
    blocks: list[tuple[str, str]] = []
    forms: dict[str, str] = {}
    form: str | None = None
    for si, seg in enumerate(segs):
        for li, m in enumerate(seg.matches):
            row = row_at.get((si, li))
            if row is not None and row.table == "t2":
                forms[row.key] = form or "2021"
            elif row is not None:
                continue
            elif (m.other == "item" and m.other_score >= 0.9) or m.core.startswith("第二十条"):  # also (九), 2019
                if blocks and form:
                    blocks[-1] = (blocks[-1][0], form)
                item = _ITEM_NUMBER.search(seg.labels[li].text)
                blocks.append((f"第二十条第（{item.group(1)}）项" if item else seg.labels[li].text, ""))
                form = None
            elif (m.other == "m2019" and m.other_score >= 0.9) or any(w in m.core for w in _T2_2019_COLS):
                form = "2019"  # also inside a header printed as one run: '信息内容本年新制作数量本年新公开数量…'
            elif form is None and any(w in m.core for w in _T2_2021_COLS):
                form = "2021"
    if blocks and form:
        blocks[-1] = (blocks[-1][0], form)
    return [(item, f or "2021") for item, f in blocks], forms


def _merged_other_row(segs: list[Segment], cut: Token | None, ends_in_zone: bool) -> RowRead | None:
    """'（六）其他处理' printed as a row with its own numbers: the 2019 form of table 3, without sub-rows."""
    for si, s in enumerate(segs):
        m = s.matches[-1] if s.matches else None
        # its own numbers, or a row of empty fields (a web table printing the merged row blank)
        valued = s.has_numbers or sum(t.kind == "blank" for t in s.slots) >= len(T.T3_COLUMNS) - 1
        if valued and m and m.other == "group" and m.number == 6 and m.other_score >= 0.9:
            slots = [t for t in s.slots if t is not cut]
            return RowRead(_MERGED_ROW, s.labels[-1], m.other_score, slots,
                           cut=(cut is not None and any(t is cut for t in s.slots)) or (ends_in_zone and si == len(segs) - 1))
    return None


_MERGED_ROW = RowDef(f"t3.{T.MERGED_OTHER_ROW}", "t3", -1, T.MERGED_OTHER_CELLS, (), 6)


def _cut_number(report: Report, stream: list[Token], hi: int) -> Token | None:
    """A number that is the very last thing of the text may be cut short: it is not a visible cell."""
    last = next((ln for ln in reversed(report.lines) if not ln.blank), None)
    toks = [t for t in stream if t.kind != "blank"]
    if last is None or not toks or last.n > hi:
        return None
    tok = toks[-1]
    return tok if tok.kind == "num" and tok.line == last.n and not last.text.rstrip().endswith("|") else None


def _t3_columns(segs: list[Segment], chain) -> str | None:
    first_t3 = next((si for si, li, r in chain if ROWS[r].table == "t3"), len(segs))
    last_t2 = max((si for si, li, r in chain if ROWS[r].table == "t2"), default=-1)
    cores = {m.core for s in segs[last_t2 + 1:first_t3 + 1] for m in s.matches}
    if any(c in cores or any(c in k for k in cores) for c in _T3_2021_COLS):
        return "2021"
    if _T3_2019_COLS <= cores:
        return "2019"
    return None


def _table4(segs: list[Segment], chain, cut: Token | None, last: Segment | None):
    """Table 4 is one unlabelled row of 15 numbers after its header words (or one row per group)."""
    after = max((si for si, li, r in chain if ROWS[r].table == "t3"), default=-1)
    start = next((si for si in range(after + 1, len(segs))
                  if any(is_t4_word(m.core) for m in segs[si].matches)), None)
    if start is None:
        return [], False
    region: list[Segment] = []
    for seg in segs[start:]:
        region.append(seg)
        if seg.end_heading:
            break
    words = {m.core for s in region for m in s.matches if is_t4_word(m.core)}
    if len(words) < 3:  # one stray '行政复议' in a label is not table 4's header
        return [], False
    valued = [s for s in region if s.has_numbers]
    out: list[tuple[str | None, int, list[Token], bool]] = []

    def strip(slots: list[Token]) -> tuple[list[Token], bool]:  # (slots, the text ends inside them)
        ends = last is not None and slots is last.slots
        return [t for t in slots if t is not cut], ends or any(t is cut for t in slots)

    grouped = [(t4_group_of(s.matches[-1].core), s) for s in valued if s.matches]
    if len(valued) > 1 and all(g for g, _ in grouped) and len(grouped) == len(valued):
        out = [(g, s.labels[-1].line, *strip(s.slots)) for g, s in grouped]
    elif valued:
        # the value row follows the header words; with stray numbers about, the segment holding the most
        s = valued[-1] if len(valued) == 1 else max(valued, key=lambda x: sum(t.kind == "num" for t in x.slots))
        line = s.labels[-1].line if s.labels else s.slots[0].line
        out = [(None, line, *strip(s.slots))]
    return out, True
