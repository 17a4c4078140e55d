"""Fact candidates: every number printed in a narrative line, read and placed in its clause.

A fact (../shared/spec/facts.md) is a number that states a template quantity; the trainable part of
`gazette_nlp.facts` decides which candidates are facts and which quantity they state. This module only finds
the numbers and says what the text alone settles about them:

* `value` as the template counts it: 万/亿/千 multiplied out (`1.2万余件` → 12000), amounts in 元/亿元 brought to
  the 万元 the fee cell is printed in, full-width digits and thousands separators read;
* `approx` for 余 / 多 / 左右 after the number and 近 / 约 / 超 / 逾 / 突破 before it;
* `unit`: the counter or unit that follows (件, 条, 起, 万元, %, …);
* `kind`: `count` or `money` (the only kinds that can be facts), or `percent`, `year`, `date`, `time`,
  `doc_number` (〔2020〕109号, 第711号), `ordinal` (第二届), `enumerator` (3.创新…, （1）), `address`
  (7号楼14层), `phone`, `code` (postcodes, e-mail and web addresses, H5) — those are never facts, so a
  classifier need not learn them;
* `text`: the clause that states it, from the previous clause boundary to the end of the unit (a list
  `自然人72件、商业企业3件` is cut after each quantity, so each clause names its own quantity).

`words` cuts a line into tokens for a spaCy `Doc` such that every candidate's number is one token (jieba
segments the text between candidates), which is what a span classifier over candidates needs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

Number = int | float

FACT_KINDS: frozenset[str] = frozenset({"count", "money"})

_DIGIT = "0-9０-９"
_NUMBER = re.compile(
    rf"(?<![{_DIGIT}.．])(?:[{_DIGIT}]{{1,3}}(?:,[{_DIGIT}]{{3}})+|[{_DIGIT}]+)(?:[.．][{_DIGIT}]+)?"
)
_CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万]+")
# Chinese numerals are read only before a counter: 一是, 一网通办, 二〇三五年 are not quantities
_CHINESE_COUNTERS = re.compile(r"件|起|宗|项|条|个|名|家|篇|次|期|份|场")
_PHONE = re.compile(rf"(?<![{_DIGIT}])(?:[{_DIGIT}]{{3,4}}\s*[-—–－‐]\s*)?[{_DIGIT}]{{7,8}}(?![{_DIGIT}.．])")
_MONEY = re.compile(r"\s*(万元|亿元|元)")
_SCALE = {"万": 10_000, "亿": 100_000_000, "千": 1_000}
_APPROX_AFTER = re.compile(r"余|多|来|左右")
_APPROX_BEFORE = ("超过", "突破", "近", "约", "超", "逾", "将近")
_UNIT = re.compile(
    r"\s*(人次|批次|场次|件次|大类|小项|大项|份|件|条|起|宗|项|个|名|家|篇|次|期|场|批|人|户|万?元|%|％|天|分钟|小时|"
    r"个工作日|工作日|部|所|处|台|套|期|轮|通|本|册|张|页|幅|条次)"
)
_CLAUSE_BREAK = set("，,。；;：:！!？?（(）)【】\n\t")
_DATE_AFTER = re.compile(r"\s*(月|日|时|点)")
_TIME = re.compile(rf"[:：][{_DIGIT}]{{2}}")
_ADDRESS_AFTER = re.compile(r"\s*(号楼|楼|层|室|栋|幢)")
_DOC_AFTER = re.compile(r"\s*号")
_WORD_CHAR = re.compile(r"[A-Za-z@._/\\]")
_ISO_DATE = re.compile(rf"(?<![{_DIGIT}])(?:19|20)[{_DIGIT}]{{2}}([-/.．])[{_DIGIT}]{{1,2}}\1[{_DIGIT}]{{1,2}}(?![{_DIGIT}])")


@dataclass(frozen=True)
class Candidate:
    """One number in a line. Offsets index the line's text as printed."""

    line: int
    start: int  # the whole expression: approximate prefix, number, scale, 余, unit
    end: int
    number_start: int  # the number itself (with its scale character)
    number_end: int
    value: Number
    approx: bool
    unit: str | None
    kind: str
    clause_start: int
    text: str  # the clause up to the end of the expression

    @property
    def can_be_fact(self) -> bool:
        return self.kind in FACT_KINDS


def _to_number(printed: str) -> Number:
    t = unicodedata.normalize("NFKC", printed).replace(",", "")
    return float(t) if "." in t else int(t)


_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}


def chinese_number(text: str) -> int | None:
    """十一 → 11, 二十 → 20, 一百零五 → 105, 两千 → 2000; None for what is not a plain numeral (二〇三五 is a year)."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CHINESE_DIGITS:
            if digit is not None and digit != 0 and _CHINESE_DIGITS[ch] != 0:
                return None  # digit after digit (二〇三五, 一二): not a counted number
            digit = _CHINESE_DIGITS[ch]
        elif ch in _CHINESE_UNITS:
            unit = _CHINESE_UNITS[ch]
            if unit == 10_000:
                total += (section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
        else:
            return None
    return total + section + (digit or 0)


def _clean(value: float) -> Number:
    rounded = round(value)
    return int(rounded) if abs(value - rounded) < 1e-9 else round(value, 6)


def _kind(text: str, start: int, end: int, number: str) -> str | None:
    """What the text around a number says it is, before units and scales are read; None: a quantity."""
    before, after = text[max(0, start - 8):start], text[end:end + 8]
    digits = unicodedata.normalize("NFKC", number)
    if re.fullmatch(r"(19|20)\d\d", digits) and (re.match(r"\s*(年|度|[-—–－~～至]\s*(19|20)\d\d)", after)
                                                  or re.search(r"(19|20)\d\d\s*[-—–－~～至]\s*$", before)):
        return "year"
    if start > 0 and _WORD_CHAR.match(text[start - 1]) or after[:1] and re.match(r"[A-Za-z@]", after[:1]):
        return "code"
    if re.match(r"[.．、](?![0-9０-９])", after) and (not before.strip() or before[-1] in "。；;：:！？!?）)　 \t"):
        return "enumerator"  # 3.创新公开形式, 2、推进…: an item number, not a quantity
    if re.search(r"[（(]$", before) and re.match(r"[）)]", after):
        return "enumerator"  # （1）
    if before.endswith(("邮编", "邮编：", "邮编:", "邮政编码", "编码：")):
        return "code"
    if before.endswith(("〔", "[", "［", "【")) or after.startswith(("〕", "]", "］", "】")):
        return "doc_number"
    if _TIME.match(after) or re.search(rf"[{_DIGIT}][:：]$", before):
        return "time"
    if re.match(r"\s*[%％]", after) or before.endswith("百分之"):
        return "percent"
    if _DATE_AFTER.match(after) or re.search(r"月\s*$", before) and re.match(r"\s*号(?!楼)", after):
        return "date"
    if _ADDRESS_AFTER.match(after):
        return "address"
    if _DOC_AFTER.match(after):
        return "doc_number"
    if before.endswith("第"):
        return "ordinal"
    return None


def _expression(text: str, start: int, end: int, value: Number) -> tuple[int, int, Number, bool, str | None, str]:
    """Extend a bare number over its approximate prefix, scale, 余 and unit: (start, end, value, approx, unit,
    kind)."""
    approx = False
    expr_start = start
    for prefix in _APPROX_BEFORE:
        if text.endswith(prefix, 0, start):
            approx, expr_start = True, start - len(prefix)
            break
    pos = end
    money = _MONEY.match(text, pos)
    if money:
        unit = money.group(1)
        value = value * 10_000 if unit == "亿元" else value / 10_000 if unit == "元" else value
        return expr_start, money.end(), _clean(value), approx, "万元", "money"
    if pos < len(text) and text[pos] in _SCALE:
        value = value * _SCALE[text[pos]]
        pos += 1
    more = _APPROX_AFTER.match(text, pos)
    if more:
        approx, pos = True, more.end()
    money = _MONEY.match(text, pos)  # 5千余元
    if money:
        unit = money.group(1)
        value = value * 10_000 if unit == "亿元" else value / 10_000 if unit == "元" else value
        return expr_start, money.end(), _clean(value), approx, "万元", "money"
    unit_match = _UNIT.match(text, pos)
    unit = None
    if unit_match:
        unit, pos = unit_match.group(1), unit_match.end()
        if not more:
            after_unit = _APPROX_AFTER.match(text, pos)  # 10条余 is rare but 1年多 / 3个多月 are not facts anyway
            if after_unit and after_unit.group(0) in ("余", "多"):
                approx, pos = True, after_unit.end()
    kind = "percent" if unit in ("%", "％") else "count"
    return expr_start, pos, _clean(value), approx, unit, kind


def _clause_start(text: str, at: int, previous_ends: list[int]) -> int:
    i = at
    while i > 0 and text[i - 1] not in _CLAUSE_BREAK:
        i -= 1
    # a list of quantities (自然人72件、商业企业3件): each item is its own clause
    for end in previous_ends:
        if i <= end < at and text[end:end + 1] in ("、",):
            i = end + 1
    return i


def extract_candidates(text: str, line: int = 0) -> list[Candidate]:
    """Every number in `text` (one printed line), in reading order."""
    spans: list[tuple[int, int, str | None]] = []  # (start, end, fixed kind)
    taken: list[tuple[int, int]] = []
    for m in _ISO_DATE.finditer(text):
        spans.append((m.start(), m.end(), "date"))
        taken.append((m.start(), m.end()))
    for m in _PHONE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        # a bare 7–8 digit run is a phone number only where nothing counts it (no unit or scale after it)
        if not re.search(r"[-—–－‐]", m.group(0)) and (_UNIT.match(text, m.end()) or _MONEY.match(text, m.end())
                                                      or text[m.end():m.end() + 1] in _SCALE):
            continue
        spans.append((m.start(), m.end(), "phone"))
        taken.append((m.start(), m.end()))
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        spans.append((m.start(), m.end(), None))
    for m in _CHINESE_NUMBER.finditer(text):
        counter = _CHINESE_COUNTERS.match(text, m.end())
        preceding = text[max(0, m.start() - 1):m.start()]
        if not counter or preceding == "第" or preceding and (preceding.isdigit() or preceding in ".．"):
            continue
        if chinese_number(m.group(0)) is None:
            continue
        spans.append((m.start(), m.end(), "chinese"))
    spans.sort()

    candidates: list[Candidate] = []
    ends: list[int] = []
    for start, end, fixed in spans:
        printed = text[start:end]
        if fixed in ("phone", "date"):
            value: Number = int(re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", printed)))
            expr = (start, end, value, False, None, fixed)
        else:
            value = chinese_number(printed) if fixed == "chinese" else _to_number(printed)
            kind = None if fixed == "chinese" else _kind(text, start, end, printed)
            if kind is None:
                expr = _expression(text, start, end, value)
            else:
                expr = (start, end, value, False, None, kind)
        expr_start, expr_end, value, approx, unit, kind = expr
        scaled = kind in FACT_KINDS and text[end:end + 1] in _SCALE and not text.startswith(("万元", "亿元"), end)
        number_end = end + 1 if scaled else end
        clause = _clause_start(text, expr_start, ends)
        candidates.append(Candidate(line=line, start=expr_start, end=expr_end, number_start=start,
                                    number_end=number_end, value=value, approx=approx, unit=unit, kind=kind,
                                    clause_start=clause, text=text[clause:expr_end].strip()))
        ends.append(expr_end)
    return candidates


def words(text: str, candidates: list[Candidate]) -> tuple[list[str], list[tuple[int, int]]]:
    """Tokens of `text` (concatenated they give `text` back) and, per candidate, the token range
    [first, last) of its number. Text between numbers is segmented by jieba."""
    import jieba

    from ..jieba_dict import load_jieba_dictionary

    load_jieba_dictionary()

    tokens: list[str] = []
    ranges: list[tuple[int, int]] = []
    pos = 0
    for cand in candidates:
        if cand.number_start < pos:  # overlapping spans cannot happen for well-formed input; keep order safe
            ranges.append((len(tokens) - 1, len(tokens)))
            continue
        if cand.number_start > pos:
            tokens.extend(t for t in jieba.lcut(text[pos:cand.number_start], HMM=False) if t)
        first = len(tokens)
        tokens.append(text[cand.number_start:cand.number_end])
        ranges.append((first, len(tokens)))
        pos = cand.number_end
    if pos < len(text):
        tokens.extend(t for t in jieba.lcut(text[pos:], HMM=False) if t)
    return tokens, ranges
