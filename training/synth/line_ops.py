"""Corruptions that act on the rendered lines: rows glued or lost at page breaks, furniture, markdown headings,
truncated headings and texts. Each returns a note when it changed something, and keeps cell spans exact.
"""
from __future__ import annotations

import random

from . import furniture as F
from .doc import Ln, blank
from .issuers import Issuer
from .narrative import TERMINAL

_DIGITS = "0123456789０１２３４５６７８９"


def _blocks(lines: list[Ln], table: str) -> list[tuple[int, int, int]]:
    """(block id, first line index, last line index) of one table's rows, in order."""
    spans: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.table == table and ln.block >= 0:
            spans.setdefault(ln.block, [i, i])[1] = i
    return [(b, lo, hi) for b, (lo, hi) in sorted(spans.items(), key=lambda kv: kv[1][0])]


def _has_cells(lines: list[Ln], lo: int, hi: int) -> bool:
    return any(ln.cells or ln.inferred for ln in lines[lo:hi + 1])


def glued_rows(lines: list[Ln], rng: random.Random, sep_choices: tuple[str, ...]) -> str | None:
    pairs = []
    for table in ("t2", "t3"):
        bl = _blocks(lines, table)
        for (b1, lo1, hi1), (b2, lo2, hi2) in zip(bl, bl[1:]):
            if lines[lo1].row_kind == "data" and lines[lo2].row_kind == "data":
                pairs.append((lo1, hi1, lo2, hi2))
    if not pairs:
        return None
    done = []
    for lo1, hi1, lo2, hi2 in sorted(rng.sample(pairs, min(len(pairs), rng.randint(1, 2))), reverse=True):
        a = max(i for i in range(lo1, hi1 + 1) if lines[i].text.strip())
        b = min(i for i in range(lo2, hi2 + 1) if lines[i].text.strip())
        if any(lines[i].cells or lines[i].text.strip() for i in range(a + 1, b)):  # a printed blank between
            continue
        A, B = lines[a], lines[b]
        sep = rng.choice(sep_choices)
        if not sep and A.text[-1:] in _DIGITS and B.text[:1] in _DIGITS:
            sep = "\t"
        B.shift(len(A.text) + len(sep))
        A.text += sep + B.text
        A.cells += B.cells
        A.inferred += B.inferred
        del lines[a + 1:b + 1]
        done.append(f"{A.key}+{B.key}")
    return f"rows glued onto one line: {', '.join(done)}" if done else None


def lost_rows(lines: list[Ln], rng: random.Random, issuer: Issuer, year: int) -> str | None:
    tables = [t for t in ("t3", "t2", "t4") if any(_has_cells(lines, lo, hi) for _, lo, hi in _blocks(lines, t))]
    if not tables:
        return None
    table = rng.choices(tables, [{"t3": 0.7, "t2": 0.15, "t4": 0.15}[t] for t in tables])[0]
    bl = _blocks(lines, table)
    if table == "t4":
        s, e = rng.randrange(len(bl)), len(bl) - 1
    else:
        data = [i for i, (_, lo, hi) in enumerate(bl) if _has_cells(lines, lo, hi)]
        s = 0 if rng.random() < 0.35 else rng.choice(data)
        first_data = next(i for i in data if i >= s)
        e = min(len(bl) - 1, first_data + rng.randint(0, 9))
    lo, hi = bl[s][1], bl[e][2]
    keys = [lines[bl[i][1]].key for i in range(s, e + 1) if lines[bl[i][1]].row_kind == "data"]
    note = f"{table} rows {keys[0]} … {keys[-1]} ({len(keys)} rows) lost at a page break; their cells are absent"
    if s == 0 and rng.random() < 0.5:  # the section heading can go with them (004)
        j = lo - 1
        while j >= 0 and lines[j].kind in ("blank", "prose"):
            j -= 1
        if j >= 0 and lines[j].kind == "section":
            lo = j
            note += "; the section heading is lost too"
    while hi + 1 < len(lines) and lines[hi + 1].kind == "blank" and lines[hi + 1].table == table:
        hi += 1
    page = rng.randint(2, 6)
    chrome = [Ln(t, "other", "furniture") for t in F.page_break(rng, issuer, year, page, page + rng.randint(1, 5))]
    lines[lo:hi + 1] = ([blank()] + chrome + [blank()]) if chrome else [blank()]
    return note


def _safe_gaps(lines: list[Ln]) -> list[int]:
    """Indices where a page break may fall: after the title, between blocks, never inside a paragraph."""
    out = []
    for i in range(2, len(lines)):
        prev = next((ln for ln in reversed(lines[:i]) if ln.text.strip()), None)
        if prev is None or prev.kind == "title" or lines[i].kind == "blank":
            continue
        if prev.label == "narrative" and not prev.text.rstrip().endswith(tuple(TERMINAL)):
            continue
        if prev.table and lines[i].table == prev.table and lines[i].block == prev.block:
            continue
        out.append(i)
    return out


def page_breaks(lines: list[Ln], rng: random.Random, issuer: Issuer, year: int) -> str | None:
    gaps = _safe_gaps(lines)
    if not gaps:
        return None
    picks = sorted(rng.sample(gaps, min(len(gaps), rng.randint(1, 3))), reverse=True)
    total = len(picks) + rng.randint(1, 3)
    for k, i in enumerate(picks):
        chrome = [Ln(t, "other", "furniture") for t in F.page_break(rng, issuer, year, len(picks) - k + 1, total)]
        lines[i:i] = [blank()] + (chrome or [Ln(F.page_number(rng, 2, total), "other", "furniture")]) + [blank()]
    return f"{len(picks)} page breaks with page numbers / page chrome"


def web_furniture(lines: list[Ln], rng: random.Random, issuer: Issuer, year: int) -> str | None:
    top = F.web_top(rng, issuer, year)
    after = F.web_after_title(rng, issuer, year) if rng.random() < 0.7 else []
    bottom = F.web_bottom(rng, issuer, year) if rng.random() < 0.4 else []
    last_title = max((i for i, ln in enumerate(lines) if ln.kind == "title"), default=-1)
    if after:
        lines[last_title + 1:last_title + 1] = [blank()] + [Ln(t, "other", "furniture") for t in after]
    lines[0:0] = [Ln(t, "other", "furniture") for t in top] + ([blank()] if top else [])
    lines += [blank()] + [Ln(t, "other", "furniture") for t in bottom] if bottom else []
    n = len(top) + len(after) + len(bottom)
    return f"{n} lines of web-page chrome" if n else None


def markdown(lines: list[Ln], rng: random.Random) -> str | None:
    base = rng.choice((2, 2, 3))
    n = 0
    for ln in lines:
        if ln.label != "heading":
            continue
        if ln.kind == "title":
            ln.prepend("# ")
        elif ln.kind == "section":
            ln.prepend("#" * (base if rng.random() < 0.7 else rng.randint(2, 4)) + " ")
        elif ln.kind == "sub":
            if rng.random() < 0.15:
                ln.text = f"**{ln.text}**"
            else:
                ln.prepend("#" * rng.randint(base + 1, 5) + " ")
        n += 1
    return f"markdown heading levels on {n} headings" if n else None


def truncated_heading(lines: list[Ln], rng: random.Random) -> str | None:
    heads = [ln for ln in lines if ln.kind == "section" and len(ln.text) >= 10]
    if not heads:
        return None
    fours = [ln for ln in heads if ln.section == "四"]
    ln = fours[0] if fours and rng.random() < 0.6 else rng.choice(heads)
    cut = 1 if rng.random() < 0.7 else 2
    before = ln.text
    ln.text = ln.text[:-cut]
    return f"section heading truncated: {before!r} → {ln.text!r}"


def truncated_end(lines: list[Ln], rng: random.Random) -> str | None:
    start = next((i for i, ln in enumerate(lines) if ln.kind == "section"), 0) + 3
    if start >= len(lines) - 2:
        return None
    cut = rng.randint(start, len(lines) - 2)
    while cut > start and not lines[cut].text.strip():
        cut -= 1
    ln = lines[cut]
    del lines[cut + 1:]
    note = f"text ends at line {cut + 1}"
    if ln.label == "narrative" and len(ln.text) > 12:
        ln.text = ln.text[:rng.randint(5, len(ln.text) - 3)]
        note += " mid-sentence"
    if ln.block >= 0:  # the row the text stops in is incomplete: nothing in it is forced any more
        for other in lines:
            if other.block == ln.block:
                other.inferred = []
    if ln.label != "narrative" and ln.cells:
        last = max((c for c in ln.cells if c[1] >= 0), key=lambda c: c[1], default=None)
        if last and last[2] == len(ln.text.rstrip()):
            ln.cells.remove(last)  # the number the text ends on may be cut: not a visible cell
            note += f"; its last number ({last[0]}) may be cut and is not a visible cell"
    return note


def whitespace(lines: list[Ln], rng: random.Random) -> None:
    """Trailing ASCII / full-width spaces and indents on prose lines, as extractions leave them (000, P013)."""
    tail = rng.random() < 0.3
    indent = rng.choice(("  ", "\u3000\u3000")) if rng.random() < 0.12 else ""
    indent_heads = indent and rng.random() < 0.5  # P013 indents its section headings too
    for ln in lines:
        if ln.label not in ("heading", "narrative"):
            continue
        if tail and rng.random() < 0.35:
            ln.text += rng.choice(("\u3000\u3000", "  \u3000\u3000", "  ", "\u3000"))
        if indent and (ln.label == "narrative" or indent_heads and ln.kind in ("section", "sub")):
            ln.prepend(indent)
        elif ln.kind == "section" and rng.random() < 0.04:  # P015: ' 二、主动公开政府信息情况'
            ln.prepend(" ")
    if tail and rng.random() < 0.5:
        lines += [blank(), blank("\u3000\u3000")]


def one_line(lines: list[Ln], rng: random.Random, issuer: Issuer, year: int, tail: bool = True) -> str:
    """A site crawler's text: its header block (`other`), then the whole report on ONE line (`narrative`): every
    section, paragraph and table row run together, blocks joined with no separator or a space."""
    title = "".join(ln.text.strip() for ln in lines if ln.kind == "title") or f"{issuer.full}{year}年政府信息公开工作年度报告"
    keep_title = rng.random() < 0.5
    space = rng.choice((0.1, 0.3, 0.6))  # how often a block boundary keeps a space
    body = Ln("", "narrative", "crawl_body")
    prev: Ln | None = None
    parts = 0
    for ln in lines:
        text = ln.text.strip()
        if not text or (ln.kind == "title" and not keep_title and not ln.cells):
            continue
        if body.text:
            same_table = prev is not None and prev.table is not None and prev.table == ln.table
            body.text += " " if rng.random() < (0.08 if same_table else space) else ""
        offset = len(body.text) - (len(ln.text) - len(ln.text.lstrip()))
        for c in ln.cells:
            if c[1] >= 0:
                c[1] += offset
                c[2] += offset
            body.cells.append(c)
        body.inferred += ln.inferred
        body.text += text
        prev = ln
        parts += 1
    if tail and rng.random() < 0.3:
        body.text += rng.choice((" 附件下载", " 【打印本页】【关闭窗口】", " 扫一扫在手机打开当前页"))
    lines[:] = [Ln(t, "other", "furniture") for t in F.crawler_header(rng, issuer, year, title)] + [body]
    return f"{parts} lines of the report run together on one line of {len(body.text)} characters"
