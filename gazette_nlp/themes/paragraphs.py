"""Paragraph assembly: narrative lines → `Paragraph`s.

A PDF (or a web page copied line by line) breaks one paragraph over several lines. The rule, shared with the
annotation guidelines (../shared/gold/check_gold.py): a narrative line whose text does not end with terminal
punctuation (。！？；： and their ASCII forms) is continued by the next non-blank line when that line is narrative
too and lies in the same section; blank lines in between do not matter. Anything else — a heading, a table row,
an `other` line, a section boundary, a terminated line — ends the paragraph. A paragraph's `n` is its first
line; run-in headings (`（二）依申请公开。2023年…`) are narrative and stay inside their paragraph.

`text` is the joined normalised text of its lines (half-width, simplified, markdown markers removed).
"""
from __future__ import annotations

from ..model import Paragraph, Report

# normalised text is NFKC: ：；？！ become :;?! — keep both forms so raw text works too
TERMINAL: tuple[str, ...] = tuple("。！？；：.!?;:")
SCORED_SECTIONS: frozenset[str] = frozenset({"一", "五", "六"})  # the sections whose paragraphs gold labels


def is_terminated(text: str) -> bool:
    return text.rstrip().endswith(TERMINAL)


def _section_keys(report: Report) -> list[str | None]:
    """Section key of every line (index n-1); segments a copy when no stage has set `report.sections`."""
    sections = report.sections
    if not sections:
        from ..sections import segment_sections

        sections = segment_sections(Report(source=report.source, lines=report.lines)).sections
    keys: list[str | None] = [None] * len(report.lines)
    for s in sections:
        for n in range(max(1, s.start), min(len(report.lines), s.end) + 1):
            keys[n - 1] = s.key
    return keys


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        # Chinese prose joins without a space; keep one between two Latin/digit runs ("and" + "the")
        if out and out[-1].isascii() and out[-1].isalpha() and p[0].isascii() and p[0].isalpha():
            out += " "
        out += p
    return out


def assemble_paragraphs(report: Report, sections: frozenset[str] | set[str] | None = None) -> Report:
    """Pipeline stage: fill `report.paragraphs` from the narrative lines.

    `sections` restricts the output to some section keys (e.g. `SCORED_SECTIONS`); by default paragraphs of
    every section are kept, those before section 一 with the key `preamble`.
    """
    keys = _section_keys(report)
    paragraphs: list[Paragraph] = []
    cur: list[int] = []  # line numbers of the open paragraph
    cur_key: str | None = None

    def close() -> None:
        nonlocal cur
        if cur:
            key = cur_key or "preamble"
            if sections is None or key in sections:
                text = _join([report.line(n).norm for n in cur])
                paragraphs.append(Paragraph(n=cur[0], section=key, text=text, lines=list(cur)))
        cur = []

    for line in report.lines:
        if line.blank:
            continue
        key = keys[line.n - 1]
        if line.label != "narrative":
            close()
            continue
        if cur and key == cur_key and not is_terminated(report.line(cur[-1]).norm):
            cur.append(line.n)
            continue
        close()
        cur, cur_key = [line.n], key
    close()
    report.paragraphs = paragraphs
    return report


__all__ = ["SCORED_SECTIONS", "TERMINAL", "assemble_paragraphs", "is_terminated"]
