"""Fuzzy matching of printed table labels against the template's rows, headers and group labels.

Everything is read from `gazette_nlp.template`. A label is compared on its squashed core (no numbering,
spaces or punctuation), so '(二) 部分公开 (区分处理的, …)' and '（二）部分公开（区分处理的，…）' are the
same; truncated labels, OCR slips and wording variants still match. The label's own numbering ('（一）',
'1.', '一、') is a separate, weaker signal that breaks ties: it tells the row '3.其他' from the column
header '其他'.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .. import template as T
from ..textnorm import squash_normalised

_CN = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_NUMBERING = re.compile(
    r"^\s*(?:[(（]\s*([一二三四五六七八九十]{1,2}|\d{1,2})\s*[)）]"  # (一) (1)
    r"|([一二三四五六七八九十]{1,2})\s*[、.．,，]"  # 一、
    r"|(\d{1,2})(?:\s*[.．、,，](?!\d)|\s+(?=\D)))\s*")  # 1. 1、 '1 属于'

# words of the 2019 template's table 2 that the 2021 template does not print (besides template.py's markers)
_EXTRA_2019 = ("上一年项目数量", "本年增减")  # not 政府集中采购: some 2021-format reports keep that block
_T4_ONLY = tuple(l for _, l in T.T4_GROUPS) + ("行政诉讼",) + tuple(l for _, l in T.T4_KEYS[:4])
_T4_FRAGMENTS = ("维持", "纠正", "尚未", "审结")


def _num(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 2 and s[0] == "十":
        return 10 + _CN.get(s[1], 0)
    return _CN.get(s, 0)


# '七）总计': the thin opening bracket is what a scan (and a careless retyping) loses first
_LOST_BRACKET = re.compile(r"^\s*(?=[一二三四五六七八九十]{1,2}\s*[)）])")


def _numbering(text: str):
    return _NUMBERING.match(_LOST_BRACKET.sub("（", text, count=1))


def label_depth(text: str) -> int:
    """Column depth of a table-3 label by its numbering: '一、' 1, '（一）' 2, '1.' 3 (others 1). A label at
    depth d sits behind d - 1 merged label columns, which extractions print as empty fields."""
    m = _numbering(text)
    if not m:
        return 1
    return 2 if m.group(1) else 1 if m.group(2) else 3


def split_numbering(text: str) -> tuple[int | None, str]:
    """'（一）予以公开' → (1, '予以公开' squashed). Numbering of any style is reduced to its number."""
    text = _LOST_BRACKET.sub("（", text, count=1)
    m = _NUMBERING.match(text)
    if not m:
        return None, squash_normalised(text)
    g = next(x for x in m.groups() if x)
    return _num(g), squash_normalised(text[m.end():])


@dataclass(frozen=True)
class RowDef:
    key: str  # 't3.granted', 't2.rules'
    table: str
    order: int  # position in the whole template's reading order
    cells: tuple[str, ...]  # cell ids of the row, in column order
    cores: tuple[str, ...]  # squashed label and aliases
    number: int | None


def _row_defs() -> tuple[RowDef, ...]:
    out: list[RowDef] = []
    for b in T.T2_BLOCKS:
        for rk, rl in b.rows:
            cells = tuple(c.id for c in T.CELLS if c.table == "t2" and c.row == rk)
            out.append(RowDef(f"t2.{rk}", "t2", len(out), cells, (squash_normalised(rl),), None))
    for r in T.T3_ROWS:
        cells = tuple(c.id for c in T.CELLS if c.table == "t3" and c.row == r.key)
        n, core = split_numbering(r.label)
        cores = (core,) + tuple(split_numbering(a)[1] for a in r.aliases)
        out.append(RowDef(f"t3.{r.key}", "t3", len(out), cells, tuple(dict.fromkeys(cores)), n))
    return tuple(out)


ROWS: tuple[RowDef, ...] = _row_defs()
ROW_BY_KEY = {r.key: r for r in ROWS}


def _others() -> dict[str, str]:
    """squashed core → kind, for every printed word that is not a row label."""
    out: dict[str, str] = {}

    def add(words, kind):
        for w in words:
            out.setdefault(split_numbering(w)[1], kind)

    add(T.TEMPLATE_2019_MARKERS + _EXTRA_2019, "m2019")
    add([b.item for b in T.T2_BLOCKS], "item")
    add(["信息内容"] + [l for b in T.T2_BLOCKS for _, l in b.columns], "t2header")
    add([a for v in T.T2_HEADER_ALIASES.values() for a in v], "t2header")
    add(_T4_ONLY, "t4header")
    add(T.T3_HEADER_WORDS, "t3header")
    add(T.T4_HEADER_WORDS, "t4header")
    add(T.T3_GROUPS, "group")
    add([g for r in T.T3_ROWS if r.group for g in (r.group,)], "group")
    add([w for pair in T.SPLIT_HEADER_WORDS for w in pair], "fragment")
    return out


OTHERS: dict[str, str] = _others()


def _bigrams(s: str) -> frozenset[str]:
    return frozenset(s[i:i + 2] for i in range(len(s) - 1)) if len(s) > 1 else frozenset((s,))


_TARGETS: list[tuple[str, str, int | None, str]] = (  # (core, kind, number, row key or '')
    [(c, "row", r.number, r.key) for r in ROWS for c in r.cores]
    + [(c, k, None, "") for c, k in OTHERS.items()]
)
_TARGET_BIGRAMS = [_bigrams(t[0]) for t in _TARGETS]
_INDEX: dict[str, list[int]] = {}
for _i, _bg in enumerate(_TARGET_BIGRAMS):
    for _g in _bg:
        _INDEX.setdefault(_g, []).append(_i)


def similarity(c: str, t: str) -> float:
    """How well token core `c` matches target core `t` (0…1); tolerant of truncation and extra text."""
    if not c or not t:
        return 0.0
    if c == t:
        return 1.0
    if len(t) >= 3 and t in c:
        return 0.6 + 0.4 * len(t) / len(c)
    if t.startswith(c) and (len(c) >= 2 or len(t) <= 3):
        return 0.45 + 0.5 * len(c) / len(t)
    return 0.0


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (short strings only)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@dataclass(frozen=True)
class LabelMatch:
    row: str | None  # best row key, when a row beats every non-row word
    row_score: float
    other: str | None  # kind of the best non-row word (t3header, group, m2019, …)
    other_score: float
    number: int | None
    core: str
    tied_row: str | None = None  # a row this word also names exactly ('其他', '总计' without numbering)


@lru_cache(maxsize=8192)
def match_label(text: str) -> LabelMatch:
    number, core = split_numbering(text)
    if not core:
        return LabelMatch(None, 0.0, None, 0.0, number, core)
    cb = _bigrams(core)
    shared = Counter(i for g in cb for i in _INDEX.get(g, ()))
    best_row: tuple[float, str | None] = (0.0, None)
    best_other: tuple[float, str | None] = (0.0, None)
    for i, (t, kind, tnum, key) in enumerate(_TARGETS):
        s = similarity(core, t)
        if s == 0.0 and shared.get(i) and len(core) >= 0.6 * len(t) and len(t) >= 4:
            dice = 2 * shared[i] / (len(cb) + len(_TARGET_BIGRAMS[i]))
            s = 0.9 * dice if dice >= 0.6 else 0.0
        if s == 0.0 and shared.get(i, 0) >= 3 and 4 <= len(core) < len(t):
            ratio = 1 - _edits(core, t[:len(core)]) / len(core)  # a truncated label with an OCR slip
            s = (0.45 + 0.5 * len(core) / len(t)) * ratio if ratio >= 0.85 else 0.0
        same_end = core[0] == t[0] or core[-1] == t[-1]
        if s == 0.0 and abs(len(core) - len(t)) <= 1 and len(t) <= 12 and same_end:
            edits = _edits(core, t)  # OCR slips: '重复中请', '(七)总汁'; not '主动公开' for '予以公开'
            s = 1 - edits / max(len(core), len(t)) if edits <= (1 if len(t) <= 6 else 2) else 0.0
        if not s and kind != "row":
            continue
        if kind == "row":
            if not s and len(core) == 1 and t.startswith(core) and number is not None and number == tnum:
                s = 0.5  # a label cut after one character: '（一）予' at a page or text end
            if not s:
                continue
            if number is not None and tnum is not None:
                s += 0.1 if number == tnum else -0.15
            if s > best_row[0]:
                best_row = (s, key)
        elif s > best_other[0]:
            best_other = (s, kind)
    row = best_row[1] if best_row[0] >= 0.55 and (best_row[0] > best_other[0]) else None
    tied = best_row[1] if row is None and best_row[0] >= 1.0 and best_other[0] >= 1.0 else None
    return LabelMatch(row, best_row[0], best_other[1], best_other[0], number, core, tied)


def is_t4_word(core: str) -> bool:
    return any(w in core for w in (squash_normalised(x) for x in _T4_ONLY)) or core in _T4_FRAGMENTS


def t4_group_of(core: str) -> str | None:
    for gk, gl in T.T4_GROUPS:
        if core == squash_normalised(gl):
            return gk
    return None


def vocab_score(norm: str) -> float:
    """Best match of a whole line against any table word: used to tell a long table label from prose."""
    m = match_label(norm)
    return max(m.row_score, m.other_score)
