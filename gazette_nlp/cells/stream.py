"""Table lines → a stream of tokens → segments (a run of labels and the cells that follow it).

The table zone is sections 二…四 (extended backwards over table lines when the 二 heading was lost). Its
lines become one token stream; prose lines and section headings become barriers, so a number in prose is
never attached to a row; page furniture is skipped. The stream is then cut into segments: a run of labels
followed by the numbers / empty fields up to the next label. This one grammar covers tab rows, pipe rows and
one-cell-per-line layouts alike; a label split over lines, or a group label printed on its own
('（三）不予公开'), is simply one more label in the run.
"""
from __future__ import annotations

import weakref

import re
from dataclasses import dataclass, field

from ..model import Line, Report
from ..sections import heading_key, segment_sections
from ..textnorm import squash_normalised
from .labels import ROW_BY_KEY, LabelMatch, label_depth, match_label, vocab_score
from .numbers import Token, is_page_furniture, is_placeholder_row, read_number, tokenize_line


@dataclass
class Segment:
    labels: list[Token] = field(default_factory=list)
    matches: list[LabelMatch] = field(default_factory=list)
    slots: list[Token] = field(default_factory=list)
    end_heading: bool = False  # closed by a section heading

    @property
    def has_numbers(self) -> bool:
        return any(t.kind == "num" for t in self.slots)


def table_zone(report: Report) -> tuple[int, int]:
    sections = report.sections
    if not sections:
        probe = Report(source=report.source, lines=report.lines)
        sections = segment_sections(probe).sections
    table = [s for s in sections if s.key in ("二", "三", "四")]
    if not table:
        return 1, len(report.lines)
    lo, hi = min(s.start for s in table), max(s.end for s in table)
    walk = lo
    while walk > 1:  # the 二 heading may be lost: walk back over table lines …
        ln = report.line(walk - 1)
        if ln.blank or (heading_key(ln.norm) is None and _strong_table_line(ln)) or line_tokens(ln)[1] == "skip":
            walk -= 1
        else:
            break
    # … but only onto a table 2 header ('第二十条第（一）项', '信息内容'), never onto short lines of section 一
    if any(m.other in ("item", "t2header") for ln in report.lines[walk - 1:lo - 1] if not ln.blank
           for m in (match_label(t.text) for t in line_tokens(ln)[0] if t.kind == "label")):
        lo = walk
    return lo, hi


def _strong_table_line(line: Line) -> bool:
    """Numbers only, or a label that is a table word: enough to extend the zone over a lost heading."""
    toks, kind = line_tokens(line)
    labels = [t.text for t in toks if t.kind == "label"]
    return kind == "table" and (not labels or max(vocab_score(t) for t in labels) >= 0.9)


_LEADING_NUMBER = re.compile(r"^(\d[\d,]*(?:\.\d+)?)(?![.、．\d])\s*(?=[\u4e00-\u9fff])")


def _unglue_leading(toks: list[Token]) -> list[Token]:
    """'0行政强制': the value of the row above glued to the next label. Split it off when the rest is a row
    label whose own numbering is not these digits ('1属于国家秘密' keeps its 1)."""
    out: list[Token] = []
    for t in toks:
        m = _LEADING_NUMBER.match(t.text) if t.kind == "label" else None
        if m:
            rest = t.text[m.end():]
            lm = match_label(rest)
            got = read_number(m.group(1))
            if got is not None and lm.row and lm.row_score >= 0.9 and ROW_BY_KEY[lm.row].number != got[0]:
                out.append(Token("num", t.line, text=m.group(1), value=got[0], raw=m.group(1), glued=True,
                                 shape=t.shape))
                out.append(Token("label", t.line, text=rest))
                continue
        out.append(t)
    return out


def _numbers_first(toks: list[Token]) -> list[Token]:
    """'0 0 0 0 0 0 0 3.其他': a PDF row whose label, centred in its cell, is printed after its numbers. When a
    line opens with exactly as many numbers as the row it ends with has columns, the label goes first."""
    lead = 0
    while lead < len(toks) and toks[lead].kind == "num":
        lead += 1
    if lead < 2 or lead == len(toks) or any(t.kind == "num" for t in toks[lead:]):
        return toks
    labels = [t for t in toks[lead:] if t.kind == "label"]
    m = match_label(labels[-1].text) if labels else None
    if m is None or not m.row or m.row_score < 0.9 or len(ROW_BY_KEY[m.row].cells) != lead:
        return toks
    return toks[lead:] + toks[:lead]


_DASHES = {"-", "—", "－", "--", "——", "–"}


def _header_dashes(toks: list[Token]) -> list[Token]:
    """'| - | - | 结果维持 | 结果纠正 | …': dashes among header words fill merged header cells; they are no zeros."""
    nums = [t for t in toks if t.kind == "num"]
    if not nums or any(t.value != 0 or (t.raw or "").strip() not in _DASHES for t in nums):
        return toks
    matches = [match_label(t.text) for t in toks if t.kind == "label"]
    if not matches or any(m.row for m in matches) or not any(m.other_score >= 0.9 for m in matches):
        return toks
    return [t for t in toks if t.kind != "num"]


def line_tokens(line: Line, style: str = "trailing", simplify: bool = False,
                indented: bool = False) -> tuple[list[Token], str]:
    """The line's tokens and what it is: 'table' (feeds cells), 'prose' (a barrier) or 'skip' (furniture).

    Prose never feeds cells: a sentence, or text that matches no table word and is long or labelled as
    prose by the line classifier. Lines with tab/pipe fields, and lines of numbers, are table lines.
    """
    norm = line.norm
    if "。" in norm:
        return [], "prose"
    if is_page_furniture(norm):
        return [], "skip"
    sq = squash_normalised(norm)
    if len(sq) <= 1 and read_number(norm) is None and "|" not in norm and "\t" not in line.text:
        # a group label printed vertically, one character a line: no cell
        return [], "skip"
    toks = _header_dashes(_numbers_first(_unglue_leading(tokenize_line(line, style, simplify, indented))))
    labels = [t.text for t in toks if t.kind == "label"]
    vocab = max((vocab_score(t) for t in labels), default=0.0)
    if not labels or vocab >= 0.6:
        return toks, "table"
    if line.label == "other":
        return [], "skip"
    separated = "\t" in line.text or "|" in norm
    if not separated and (line.label in ("narrative", "heading") or len(squash_normalised(norm)) > 25):
        return [], "prose"
    return toks, "table"


def is_prose(line: Line) -> bool:
    return line_tokens(line)[1] != "table"


_LAST_STREAM: tuple = ()  # (weakref to the report, key, stream): the rules and the tagger read the same stream


def token_stream(report: Report, lo: int, hi: int) -> list[Token]:
    """The table region's tokens in reading order. Read once per report and zone: both cell readers use it
    (the tokens are never modified downstream)."""
    global _LAST_STREAM
    key = (lo, hi, tuple((ln.label, ln.text) for ln in report.lines[lo - 1:hi]), bool(report.meta.get("traditional")))
    if _LAST_STREAM and _LAST_STREAM[0]() is report and _LAST_STREAM[1] == key:
        return _LAST_STREAM[2]
    stream = _token_stream(report, lo, hi)
    _LAST_STREAM = (weakref.ref(report), key, stream)
    return stream


def markdown_style(lines: list[Line]) -> str:
    """'markdown' when most piped lines are '| a | b |' rows, else 'trailing' ('a |' cells)."""
    piped = [ln.text.strip() for ln in lines if "|" in ln.text and ln.text.strip(" |\t")]
    return "markdown" if piped and sum(p.startswith("|") for p in piped) * 2 > len(piped) else "trailing"


def _token_stream(report: Report, lo: int, hi: int) -> list[Token]:
    lines = report.lines[lo - 1:hi]
    style = markdown_style(lines)
    simplify = bool(report.meta.get("traditional"))
    tabbed = [ln.text.rstrip("\t ").split("\t") for ln in lines if "\t" in ln.text.rstrip("\t ")]
    # one cell per line, each indented by a tab (000): then a leading tab is indentation on every line
    indented = bool(tabbed) and sum(len(p) == 2 and not p[0].strip() for p in tabbed) * 4 > len(tabbed) * 3
    out: list[Token] = []
    blank_run = 0  # blank lines just before this one: part of a number's shape (a page break leaves more)
    headers = _markdown_headers(lines) if style == "markdown" else set()
    for ln in lines:
        if ln.n in headers and is_placeholder_row(ln.text):
            continue
        if ln.blank:
            if "\t" in ln.text or "|" in ln.text:  # a line that is only an empty field: one empty cell
                out.append(Token("blank", ln.n, alone=True))
            blank_run += 1
            continue
        gap, blank_run = min(blank_run, 2), 0
        if heading_key(ln.norm):
            out.append(Token("barrier", ln.n, text="heading"))
            continue
        toks, kind = line_tokens(ln, style, simplify, indented)
        if kind == "prose":
            out.append(Token("barrier", ln.n, text="prose"))
        elif kind == "table":
            if all(t.kind == "blank" for t in toks):
                for t in toks:
                    t.alone = True
            for t in toks:
                t.shape += f"|{gap}"
            out += toks
    return out


_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")


def _markdown_headers(lines: list[Line]) -> set[int]:
    """Lines that head a markdown table (the next non-blank line is its '|---|' separator)."""
    out: set[int] = set()
    prev: Line | None = None
    for ln in lines:
        if ln.blank:
            continue
        if prev is not None and _SEPARATOR.match(ln.text):
            out.add(prev.n)
        prev = ln
    return out


def segments(stream: list[Token]) -> list[Segment]:
    """Cut the stream into label runs and their slots. Empty fields in front of a label on its own line are
    that line's label columns (merged group cells), not empty cells of the row above."""
    segs: list[Segment] = []
    cur = Segment()
    pending: list[Token] = []  # blanks not yet known to be slots
    for tok in stream:
        if tok.kind == "barrier":
            cur.slots += pending
            pending = []
            cur.end_heading = tok.text == "heading"
            segs.append(cur)
            cur = Segment()
        elif tok.kind == "label":
            cur.slots += _not_label_columns(pending, tok)
            pending = []
            if cur.slots:
                segs.append(cur)
                cur = Segment()
            cur.labels.append(tok)
            cur.matches.append(match_label(tok.text))
        elif tok.kind == "blank":
            pending.append(tok)
        else:
            cur.slots += pending + [tok]
            pending = []
    cur.slots += pending
    segs.append(cur)
    segs = [s for s in segs if s.labels or s.slots]
    for seg in segs:
        _join_wrapped_labels(seg)
    return _join_labels_around_numbers(segs)


def _join_labels_around_numbers(segs: list[Segment]) -> list[Segment]:
    """'一、本年新收' / '0 0 0 0 0 0 0' / '政府信息公开申请数量': a PDF label wrapped around its row's numbers. The
    label that opens the next segment is the tail of this one's when joined they match a row better; numbers
    after the tail then follow the joined label (the next row's, printed before its label: see `structure`)."""
    out: list[Segment] = []
    for b in segs:
        a = out[-1] if out else None
        if a is not None and a.labels and b.labels and a.has_numbers and not a.end_heading \
                and not (a.matches[-1].row_score >= 1.0 or b.matches[0].row_score >= 1.0
                         or b.matches[0].other_score >= 1.0):  # a whole label is no fragment
            head, tail = a.labels[-1], b.labels[0]
            joined = match_label(head.text + tail.text)
            if joined.row and joined.row_score >= 0.9 and joined.row_score > max(a.matches[-1].row_score,
                                                                                  b.matches[0].row_score):
                a.labels[-1], a.matches[-1] = Token("label", head.line, text=head.text + tail.text), joined
                del b.labels[0], b.matches[0]
                if not b.labels:
                    a.slots += b.slots
                    a.end_heading = b.end_heading
                    continue
        out.append(b)
    return out


def _join_wrapped_labels(seg: Segment) -> None:
    """A label wrapped over two lines ('2.申请人逾期未按收费通知要求缴纳费' / '用、行政机关…申请') is one label
    when joined it matches a row better than either half."""
    i = 0
    while i < len(seg.labels) - 1:
        a, b = seg.labels[i], seg.labels[i + 1]
        joined = match_label(a.text + b.text)
        if joined.row and joined.row_score >= 0.9 and joined.row_score > max(seg.matches[i].row_score,
                                                                               seg.matches[i + 1].row_score):
            seg.labels[i:i + 2] = [Token("label", a.line, text=a.text + b.text)]
            seg.matches[i:i + 2] = [joined]
        else:
            i += 1


def _not_label_columns(blanks: list[Token], label: Token) -> list[Token]:
    """The blanks in front of a label that are empty cells of the row above, not the label's own columns:
    blanks on the label's line are its columns; so are up to depth - 1 blank lines just before it
    ('\t' lines before '\t2.其他法律行政法规禁止公开' in a one-cell-per-line table)."""
    rest = [b for b in blanks if b.line != label.line]
    room = label_depth(label.text) - 1
    while rest and room and rest[-1].alone:
        rest.pop()
        room -= 1
    return rest
