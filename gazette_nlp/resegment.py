"""Texts that lost their line breaks → a re-segmented view the other stages can read.

Site crawlers often store a whole report on one line: sections, paragraphs and every table flattened into it,
cell values run together (`规章 000行政规范性文件693665`). Such a line is cut into virtual lines before line
classification: at the section headings, at the run-in subsection markers of the prose, and, inside the tables,
before every word the template prints (row labels with their numbering, header words, 第二十条 items), so that a
row label and its run of digits end up on one virtual line. The digits are left as printed; the cell decoder
splits glued runs under the identities (`cells.glued`).

The contract does not change: `Pipeline` restores the printed lines at the end (`restore_printed_lines`), each
virtual line's results (cells, paragraphs, issues) keep the printed line's number, and the printed line takes
the label of the virtual lines that cover most of its characters.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from . import template as T
from .cells.labels import split_numbering
from .model import Line, Report
from .textnorm import normalise, squash_normalised, to_simplified

LONG_LINE = 400  # characters: no printed line of a real report's prose or table comes near this with its breaks
_SECTION_MARK = re.compile(r"([一二三四五六])\s*[、.．]\s*")
_SUBSECTION = re.compile(r"(?<=[。；：:！？”）)\s])\s*(?=[(（][一二三四五六七八九十]{1,2}[)）])")
_LINE_REF = re.compile(r"(\blines? )(\d+)")  # 'line 23' in an issue's message names a virtual line
_ITEM = re.compile(r"第\s*二\s*十\s*条\s*第?\s*[(（]\s*[一二三四五六七八九十]{1,2}\s*[)）]\s*项")


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, tuple[tuple[str, frozenset[int]], ...]]:
    """squashed table word → the numberings it is printed with (for the look-back), indexed by first character."""
    words: dict[str, set[int]] = {}
    for w in T.table_vocabulary() + T.TEMPLATE_2019_MARKERS + T.T2_2019_WORDS:
        number, core = split_numbering(normalise(w))
        if len(core) >= 2:
            words.setdefault(core, set()).update([number] if number is not None else [])
    for row in T.T3_ROWS:  # a row's aliases are printed with the row's numbering too
        number, _ = split_numbering(normalise(row.label))
        for alias in row.aliases:
            words.setdefault(split_numbering(normalise(alias))[1], set()).update([number] if number else [])
    index: dict[str, list[tuple[str, frozenset[int]]]] = {}
    for core, numbers in words.items():
        index.setdefault(core[0], []).append((core, frozenset(numbers)))
    return {k: tuple(sorted(v, key=lambda x: -len(x[0]))) for k, v in index.items()}


def _squashed(text: str) -> tuple[str, list[int]]:
    """The squashed text and, for each of its characters, the index in `text`."""
    chars, where = [], []
    for i, ch in enumerate(text):
        if squash_normalised(ch):
            chars.append(squash_normalised(ch))
            where.append(i)
    return "".join(chars), where


def _section_cuts(text: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of the section headings 一…六 in order of appearance, each at most once."""
    out: list[tuple[int, int, str]] = []
    order = [s.key for s in T.SECTIONS]
    for m in _SECTION_MARK.finditer(text):
        key = m.group(1)
        if out and order.index(key) <= order.index(out[-1][2]):
            continue
        sd = T.SECTIONS[order.index(key)]
        rest, where = _squashed(text[m.end(): m.end() + 60])
        for title in sorted((sd.title,) + sd.variants, key=len, reverse=True):
            t = squash_normalised(normalise(title))
            if rest.startswith(t):
                start = m.start()
                while start and text[start - 1] in "#* \u3000":  # the heading's markdown marks belong to it
                    start -= 1
                out.append((start, m.end() + where[len(t) - 1] + 1, key))
                break
    return out


def _table_cuts(text: str, lo: int, hi: int, headings: list[tuple[int, int, str]]) -> list[int]:
    """Positions in `text[lo:hi]` before every template word (and its own numbering)."""
    vocab = _vocabulary()
    sq, where = _squashed(text[lo:hi])
    cuts: list[int] = []
    i = 0
    while i < len(sq):
        hit = next(((core, number) for core, number in vocab.get(sq[i], ()) if sq.startswith(core, i)), None)
        if hit is None:
            i += 1
            continue
        core, numbers = hit
        start = lo + where[i]
        cuts.append(_with_numbering(text, start, numbers))
        i += len(core)
    for m in _ITEM.finditer(text, lo, hi):  # '第二十条第（五）项' is squashed to digits-free text the vocabulary has
        cuts.append(m.start())
    return sorted({c for c in cuts if not any(a < c < b for a, b, _ in headings)})


def _with_numbering(text: str, start: int, numbers: frozenset[int]) -> int:
    """Move a cut back over the label's own numbering: '（一）', '一、', an opening bracket, and '2.' only for a
    number the word is printed with (in '00000002.其他法律…' the digits before '2.' are the row above's values)."""
    head = text[max(0, start - 8):start]
    m = re.search(r"(?:[(（]\s*[一二三四五六七八九十]{1,2}\s*[)）]|[一二三四五六七八九十]{1,2}\s*[、.．]|[(（“\"])\s*$", head)
    if m:
        return start - (len(head) - m.start())
    for number in numbers:
        m = re.search(rf"(?<![.．]){number}\s*[.．、]\s*$", head)
        if m:
            return start - (len(head) - m.start())
    return start


def split_long_line(text: str, simplified: str | None = None) -> list[str]:
    """Cut one line that holds a whole report (or a whole table) into pieces; joined they give `text` back.
    `simplified`: the same line in simplified characters (equal length), where the template's words are found."""
    pieces_of = text
    text = simplified if simplified is not None and len(simplified) == len(text) else text
    sections = _section_cuts(text)
    cuts: set[int] = set()
    for start, end, _ in sections:
        cuts.update((start, end))
    table_lo = next((s for s, _, k in sections if k == "二"), None)
    table_hi = next((s for s, _, k in sections if k in ("五", "六")), len(text))
    if table_lo is None:  # no 二 heading: the tables start at their first strong marker
        m = re.search(r"第\s*二\s*十\s*条|信息内容|本年新收|申请人情况", text)
        table_lo = m.start() if m else None
    if table_lo is not None:
        cuts.update(_table_cuts(text, table_lo, table_hi, sections))
    for m in _SUBSECTION.finditer(text):  # run-in paragraphs of the prose: '。（二）依申请公开…'
        if table_lo is None or not table_lo <= m.end() < table_hi:
            cuts.add(m.end())
    bounds = sorted(c for c in cuts if 0 < c < len(text))
    pieces = [pieces_of[a:b] for a, b in zip([0] + bounds, bounds + [len(text)])]
    return [p for p in pieces if p]


_TABLE_RUN = re.compile(r"(?:规章|规范性文件|行政许可|行政处罚|行政强制|申请数量|予以公开|国家秘密|重复申请|总计)\s*\d")


def needs_resegmenting(line: Line) -> bool:
    """A line holding several numbered section headings, or table rows run together: a whole report (or a
    whole table) that lost its breaks. A long paragraph that names the sections (a preamble) is neither."""
    if len(line.norm) < LONG_LINE:
        return False
    return len(_TABLE_RUN.findall(line.norm)) >= 3 or len(_section_cuts(line.norm)) >= 2


def resegment_lines(report: Report) -> Report:
    """Pipeline stage (first): cut lines that hold a whole report into virtual lines; a no-op otherwise."""
    long = {ln.n for ln in report.lines if needs_resegmenting(ln)} if report.printed_lines is None else set()
    if not long:
        return report
    virtual: list[Line] = []
    traditional = bool(report.meta.get("traditional"))
    for ln in report.lines:
        if ln.n not in long:
            virtual.append(Line(len(virtual) + 1, ln.text, norm=ln.norm, page=ln.page,
                                ocr_confidence=ln.ocr_confidence, printed_n=ln.n))
            continue
        for piece in split_long_line(ln.text, to_simplified(ln.text) if traditional else None):
            # a traditional text's norm is simplified; cut the same way, both stay aligned
            norm = normalise(to_simplified(piece) if traditional else piece)
            virtual.append(Line(len(virtual) + 1, piece, norm=norm, page=ln.page, ocr_confidence=ln.ocr_confidence,
                                printed_n=ln.n, glued=True))
    report.printed_lines, report.lines = report.lines, virtual
    report.meta["resegmented"] = len(long)
    return report


def restore_printed_lines(report: Report) -> Report:
    """Back to the printed lines: cells, paragraphs and issues name printed line numbers again."""
    if report.printed_lines is None:
        return report
    printed_of = {ln.n: ln.printed_n for ln in report.lines}

    def back(n: int | None) -> int | None:
        return printed_of.get(n, n) if n is not None else None

    for cell in report.cells.values():
        cell.line = back(cell.line)
    for p in report.paragraphs:
        p.n = back(p.n)  # type: ignore[assignment]
        p.lines = sorted({back(n) for n in p.lines})  # type: ignore[misc]
    for issue in report.issues:
        issue.lines = sorted({back(n) for n in issue.lines})  # type: ignore[misc]
        issue.message = _LINE_REF.sub(lambda m: f"{m.group(1)}{back(int(m.group(2)))}", issue.message)
    for s in report.sections:
        s.start, s.end = back(s.start), back(s.end)  # type: ignore[assignment]
        s.heading = back(s.heading)
    weight: dict[int, Counter] = {}
    for ln in report.lines:
        if ln.label and not ln.blank:
            weight.setdefault(ln.printed_n, Counter())[ln.label] += len(ln.norm.strip())  # type: ignore[index]
    for ln in report.printed_lines:
        if ln.n in weight:
            ln.label = weight[ln.n].most_common(1)[0][0]
    report.lines, report.printed_lines = report.printed_lines, None
    return report
