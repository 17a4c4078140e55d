"""Section segmentation: lines → sections 一…六 (and `preamble`).

A heading is used when it is there — `四、…` whose title matches the template's title or a variant, also when
truncated — and content decides where it is not: table-3 row labels after section 二 open section 三 even when
its heading was lost at a page break (seed 004), table-4 vocabulary opens 四.
"""
from __future__ import annotations

import re

from .model import Report, Section
from .template import SECTIONS, T3_ROWS, T4_HEADER_WORDS
from .textnorm import squash_normalised

_HEADING = re.compile(r"^\s*([一二三四五六])\s*[、.．,，]\s*(.*)$")
_KEYS = [s.key for s in SECTIONS]
_T3_MARKERS = tuple(squash_normalised(r.label)[2:] for r in T3_ROWS if r.label[:2] in ("一、", "二、"))
_T3_MARKERS += ("本年度办理结果", "申请人情况", "第一项加第二项之和")
_T4_MARKERS = tuple(squash_normalised(w) for w in T4_HEADER_WORDS[:2])


def _title_score(key: str, rest: str) -> float:
    """How well `rest` (squashed) matches section `key`'s title: 1.0 exact, prefix/containment partial."""
    if not rest:
        return 0.0
    sd = SECTIONS[_KEYS.index(key)]
    best = 0.0
    for title in (sd.title,) + sd.variants:
        t = squash_normalised(title)
        if rest == t:
            return 1.0
        if len(rest) >= 4 and (t.startswith(rest) or rest.startswith(t)):
            best = max(best, min(len(rest), len(t)) / max(len(rest), len(t)) * 0.95 + 0.05)
        elif len(t) >= 4 and t in rest and len(rest) <= len(t) + 8:
            best = max(best, 0.8)
    return best


def heading_key(norm: str) -> str | None:
    """The section key if this normalised line is a section heading (`二、主动公开政府信息情况`)."""
    m = _HEADING.match(norm)
    if not m:
        return None
    key, rest = m.group(1), squash_normalised(m.group(2))
    return key if _title_score(key, rest) >= 0.6 else None


def segment_sections(report: Report) -> Report:
    starts: list[tuple[str, int, int | None]] = []  # (key, start line, heading line)
    seen: set[str] = set()
    for line in report.lines:
        if line.blank or line.label in ("table_row", "narrative") and len(line.norm) > 40:
            continue
        key = heading_key(line.norm)
        if key and key not in seen and (not starts or _KEYS.index(key) > _KEYS.index(starts[-1][0])):
            starts.append((key, line.n, line.n))
            seen.add(key)
    starts = _infer_lost_headings(report, starts)
    sections: list[Section] = []
    first = starts[0][1] if starts else len(report.lines) + 1
    if first > 1:
        sections.append(Section("preamble", 1, first - 1))
    for i, (key, start, heading) in enumerate(starts):
        end = starts[i + 1][1] - 1 if i + 1 < len(starts) else len(report.lines)
        title = report.line(heading).text.strip() if heading else ""
        sections.append(Section(key, start, end, heading, title))
    report.sections = sections
    return report


def _infer_lost_headings(report: Report, starts: list[tuple[str, int, int | None]]):
    """Open 三 / 四 from their tables' vocabulary when the heading is missing."""
    keys = [k for k, _, _ in starts]
    for missing, markers, after, before in (("三", _T3_MARKERS, "二", "四"), ("四", _T4_MARKERS, "三", "五")):
        if missing in keys or after not in keys:
            continue
        lo = starts[keys.index(after)][1]
        hi = starts[keys.index(before)][1] if before in keys else len(report.lines) + 1
        hit = _first_marker(report, lo + 1, hi, markers, missing)
        if hit is not None:
            starts.append((missing, hit, None))
            starts.sort(key=lambda s: s[1])
            keys = [k for k, _, _ in starts]
    return starts


def _first_marker(report: Report, lo: int, hi: int, markers: tuple[str, ...], key: str) -> int | None:
    for n in range(lo, hi):
        sq = squash_normalised(report.line(n).norm)
        if not sq:
            continue
        if any(m and m in sq for m in markers):
            return n
        if key == "三" and _is_t3_row_label(sq):
            return n
    return None


_T3_ROW_SQUASHED = tuple(squash_normalised(r.label) for r in T3_ROWS if r.is_component)


def _is_t3_row_label(sq: str) -> bool:
    # rows such as '5.属于三类内部事务信息' carry no table-2 vocabulary; require a long match to avoid prose
    return any(len(lbl) >= 6 and lbl[1:] in sq for lbl in _T3_ROW_SQUASHED)
