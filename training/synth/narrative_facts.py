"""Narrative that states the report's own table values (opt-in: `generate_report(seed, narrative_facts=True)`).

Sentences in sections 一, 五 and 六 state template quantities in the phrasings reports use (全年共受理…件，办结…件;
行政复议…件，其中维持…件; 制发规范性文件…件; 行政事业性收费…万元), mixed with numbers that are no fact
(主动公开政府信息…条, 信息处理费…元, dates, phone numbers, percentages, meetings, page views). Values are exact,
approximate (近130件, 120余件, 1.2万余件) or, now and then, wrong; each fact is remembered as a span on its line
(`Ln.facts`, shifted by every later rewrite) and written into the record as ../shared/spec/facts.md defines it.

A separate random stream drives all of this, and nothing here runs unless asked: what a seed generates by default
is unchanged.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from gazette_nlp.facts.candidates import extract_candidates
from gazette_nlp.facts.link import agrees

from .doc import Ln, blank

_WITHHELD = tuple(f"t3.withheld.{k}.total" for k in (
    "state_secret", "law_prohibited", "three_safety_stability", "third_party", "internal_affairs", "process_info",
    "enforcement_file", "query_item"))
_ORGS = ("commercial", "research", "public_interest", "legal_services", "other_org")
NEW, CARRIED = ("t3.new.total",), ("t3.carried_over.total",)
# quantity key -> the cells whose sum the phrase states
QUANTITIES: dict[str, tuple[str, ...]] = {
    "new": NEW, "carried": CARRIED, "handled": ("t3.total.total",), "fwd": ("t3.carried_forward.total",),
    "granted": ("t3.granted.total",), "partial": ("t3.partial.total",),
    "gp": ("t3.granted.total", "t3.partial.total"), "withheld": _WITHHELD,
    "unable": tuple(f"t3.unable.{k}.total" for k in ("not_held", "needs_creation", "unclear_after_correction")),
    "rejected": tuple(f"t3.rejected.{k}.total" for k in ("petition_complaint", "duplicate", "publication",
                                                         "mass_repetitive", "reconfirm")),
    "other": tuple(f"t3.other.{k}.total" for k in ("no_correction", "unpaid_fee", "other")),
    "person": ("t3.new.natural_person",), "org": tuple(f"t3.new.{c}" for c in _ORGS),
    "review": ("t4.review.total",), "review_upheld": ("t4.review.upheld",),
    "review_corrected": ("t4.review.corrected",), "review_pending": ("t4.review.pending",),
    "lit": ("t4.litigation_direct.total", "t4.litigation_after_review.total"),
    "lit_upheld": ("t4.litigation_direct.upheld", "t4.litigation_after_review.upheld"),
    "lit_direct": ("t4.litigation_direct.total",), "lit_after": ("t4.litigation_after_review.total",),
    "rules_issued": ("t2.rules.issued",), "normative_issued": ("t2.normative_docs.issued",),
    "normative_repealed": ("t2.normative_docs.repealed",), "normative_in_force": ("t2.normative_docs.in_force",),
    "licensing": ("t2.licensing.decisions",), "penalty": ("t2.penalty.decisions",),
    "enforcement": ("t2.enforcement.decisions",), "fees": ("t2.fees.amount",),
}

# {q:KEY} a fact, {recv} 受理 read from the sentence, {d:KIND} a number that is no fact, {=a|b} one of the words,
# {when} {who} {all} {req} {u} words reports vary (expanded first)
MACROS: dict[str, tuple[str, ...]] = {
    "when": ("", "{year}年，", "{year}年度，", "本年度，", "全年", "报告期内，", "{year}年以来，", "{year}年"),
    "who": ("", "本机关", "我局", "我委", "本单位", "全区", "全市", "全县", "我办", "街道办事处", "本部门", "我中心"),
    "all": ("", "共", "累计", "共计", "全年共"),
    "req": ("政府信息公开申请", "依申请公开申请", "公开政府信息申请", "信息公开申请", "依申请公开政府信息",
            "政府信息公开申请", "申请"),
    "u": ("件", "件", "件", "条", "个"),
    "recvverb": ("受理", "收到", "接收", "接到", "受理", "收到"),
    "newverb": ("新收", "新受理", "新接收", "本年新收"),
}
REQUESTS = (
    "{when}{who}{all}{recvverb}{req}{recv}{u}，办结{q:handled}{u}，结转下年度继续办理{q:fwd}{u}。",
    "{when}{who}{all}{recvverb}{req}{recv}{u}（含上年结转{q:carried}{u}），已全部按期办结，按时办结率{d:pct}。",
    "{when}{who}{newverb}{req}{q:new}{u}，上年结转{q:carried}{u}，{=共办结|办结|答复|办理完毕}{q:handled}{u}。",
    "{when}{who}{newverb}{req}{q:new}{u}，其中{=自然人|公民个人}{=申请|提出申请|}{q:person}{u}，"
    "{=法人或其他组织|法人和其他组织}{=申请|}{q:org}{u}。",
    "{when}{who}{all}{recvverb}{req}{recv}{u}，较上年{=增长|下降|增加}{d:pct}，均在法定期限内予以答复。",
    "{when}{who}{all}{recvverb}{req}{recv}{u}，其中网上申请{d:small}{u}，{=信函申请|当面申请|邮寄}{d:small}{u}。",
    "{year}年{who}共{recvverb}{req}{recv}{u}，答复{q:handled}{u}，结转{next}年办理{q:fwd}{u}。",
    "{=从办理结果看|办理结果方面|在已办结的申请中}，予以公开{q:granted}{u}，部分公开{q:partial}{u}，"
    "不予公开{q:withheld}{u}，无法提供{q:unable}{u}，不予处理{q:rejected}{u}，其他处理{q:other}{u}。",
    "办结的申请中，同意公开{q:granted}{u}，不予公开{q:withheld}{u}，因本机关不掌握等原因无法提供{q:unable}{u}。",
    "其中，{=予以公开及部分公开的|公开及部分公开|予以公开和部分公开}{q:gp}{u}，占办结总数的{d:pct}。",
    "{who}{all}{recvverb}{req}{recv}{u}，其中予以公开{q:granted}{u}、部分公开{q:partial}{u}、无法提供{q:unable}{u}。",
    "{when}{who}{=共办结|办结|答复|共答复}{req}{q:handled}{u}，平均办理时长{d:days}个工作日。",
    "{when}{who}{=接待|接听}{=群众咨询|依申请公开咨询|咨询电话}{d:big}人次，{=办理群众来信|处理网民留言}{d:small}件。",
    "{who}{year}年度{all}{recvverb}{req}{recv}{u}，{=其中|}{recvverb}{=公民个人|自然人}提出的{req}{q:person}{u}。",
    "{when}{who}{newverb}{=依申请政府信息公开|政府信息公开申请}{q:new}{u}，{=连同|加上}上年结转{q:carried}{u}，"
    "{=共办结|办结}{q:handled}{u}，{=结转下一年度|结转至下年度}{q:fwd}{u}。",
)
SUPERVISION = (
    "{when}{=发生|共发生|}{=政府信息公开|涉及政府信息公开的|因政府信息公开申请引发的}行政复议{=案件|}{q:review}"
    "{=件|起}，其中维持{q:review_upheld}{=件|起}，纠正{q:review_corrected}{=件|起}；行政诉讼{=案件|}{q:lit}{=件|起}。",
    "{when}{who}因政府信息公开被申请行政复议{q:review}件、{=提起|被提起}行政诉讼{q:lit}件，未发生被纠错情况。",
    "{when}涉及政府信息公开的行政复议{q:review}件，{=尚未审结|未审结}{q:review_pending}件；行政诉讼{q:lit}件，"
    "其中维持{=结果|}{q:lit_upheld}件。",
    "{when}{=行政复议|政府信息公开行政复议}{q:review}件，维持结果{q:review_upheld}件；"
    "未经复议直接起诉{q:lit_direct}件，复议后起诉{q:lit_after}件。",
    "{when}{who}召开政务公开工作推进会{d:small}次，开展专项督查{d:small}次，培训{d:big}人次。",
    "{when}{who}{=政府信息公开工作方面|}共有行政诉讼案件{q:lit}件，行政复议案件{q:review}件。",
    "{when}{who}办理因政府信息公开申请引发的行政复议{q:review}起，{=其中维持|维持}{q:review_upheld}起。",
    "{when}收到{=行政复议申请|复议申请}{q:review}件，{=行政诉讼|应诉案件}{q:lit}件，均依法办理。",
)
REGULATION = (
    "{when}{who}{=制发|新发布|印发|出台}{=行政规范性文件|规范性文件}{q:normative_issued}件，废止{=行政规范性文件|规范性文件}"
    "{q:normative_repealed}件，{=现行有效|确定继续有效的|现行有效的}{=行政规范性文件|规范性文件}{q:normative_in_force}件。",
    "{when}{who}作出行政许可决定{q:licensing}件，{=行政处罚决定|作出行政处罚决定}{q:penalty}件，行政强制决定{q:enforcement}件。",
    "{when}{who}办理行政处罚案件{q:penalty}件，作出行政许可决定{q:licensing}件。",
    "{when}{who}{=新制定|制定|出台}规章{q:rules_issued}件，印发规范性文件{q:normative_issued}件，均按规定向社会公开。",
    "{when}{who}共发布政策文件{d:small}件，发布政策解读{d:small}篇，其中图解{d:small}篇。",
)
DISCLOSURE = (
    "{when}{who}主动公开政府信息{d:big}条，其中发布政策解读{d:small}篇，召开新闻发布会{d:small}场。",
    "政府门户网站全年访问量达{d:wan}万余次，回应社会关切{d:small}次。",
    "{year}年{d:month}月{d:day}日，召开政务公开工作会议，部署全年任务{d:small}项。",
    "通过政务新媒体发布信息{d:big}条，办理网民留言{d:big}件，满意率{d:pct}。",
    "依申请公开咨询电话：{d:phone}，全年接听咨询{d:big}人次。",
    "{when}{who}主动公开{=规章|文件|政策文件}{d:small}件，{=人事任免|财政预决算}信息{d:small}条。",
)
PROBLEMS = (
    "{when}{who}{recvverb}{req}{recv}件，较上年增加{d:small}件，办理压力持续加大。",
    "{when}行政复议{q:review}件，反映出答复规范化水平仍有不足。",
)
FEES = (
    "{when}{who}收取{=政府信息公开|}信息处理费{d:yuan}元。",
    "{when}{who}行政事业性收费{q:fees}万元，均按规定标准收取。",
    "{when}{who}未收取信息处理费，行政事业性收费{q:fees}万元。",
    "{when}{who}共收取行政事业性收费{yuanfees}元。",
)
_CHOICE = re.compile(r"\{=([^{}]*)\}")
_MACRO = re.compile(r"\{(" + "|".join(MACROS) + r")\}")
_SLOT = re.compile(r"\{(q:[a-z_]+|d:[a-z]+|recv|year|next|yuanfees)\}")
_WITH_CARRIED = "含上年结转"


@dataclass
class FactOpts:
    """Chances per stated fact: a wrong value, an approximation where the value allows one."""

    wrong: float = 0.08
    approx: float = 0.25


def _distractor(rng: random.Random, kind: str) -> str:
    if kind == "pct":
        return rng.choice(("100%", f"{rng.uniform(1, 99):.1f}%", f"{rng.randint(80, 99)}%", f"{rng.randint(1, 60)}％"))
    if kind == "phone":
        return f"0{rng.randint(100, 999)}-{rng.randint(10_000_000, 99_999_999)}"
    if kind == "month":
        return str(rng.randint(1, 12))
    if kind == "day":
        return str(rng.randint(1, 28))
    if kind == "days":
        return f"{rng.randint(3, 15)}" if rng.random() < 0.6 else f"{rng.uniform(3, 15):.1f}"
    if kind == "small":
        return str(rng.randint(1, 40))
    if kind == "wan":
        return f"{rng.randint(2, 900)}" if rng.random() < 0.5 else f"{rng.uniform(1, 99):.1f}"
    if kind == "yuan":
        return str(rng.choice((rng.randint(10, 5000), rng.randint(1, 9) * 100)))
    return str(rng.randint(50, 30_000))  # big


def _printed(rng: random.Random, true: int | float, opts: FactOpts) -> tuple[str, int | float, bool, bool]:
    """(printed number, value as the template counts it, approx, deliberately wrong)."""
    if isinstance(true, float) or true < 0:
        return f"{true:g}", true, False, False
    if rng.random() < opts.wrong:
        delta = rng.choice((-1, 1)) * rng.randint(1, max(2, true // 10))
        wrong = true + delta if true + delta >= 0 else true + abs(delta)
        return str(wrong), wrong, False, True
    if true >= 10_000 and rng.random() < 0.7:
        tenth = true // 1000 / 10  # 12,345 → 1.2万余
        word = f"{tenth:g}万" + ("余" if true > tenth * 10_000 else "")
        return word, int(round(tenth * 10_000)), True, False
    if true >= 20 and rng.random() < opts.approx:
        magnitude = 10 ** (len(str(true)) - 2)
        low = true // magnitude * magnitude
        if low == true:
            return str(true), true, False, False
        if rng.random() < 0.5:
            return f"{low}{rng.choice(('余', '多'))}", low, True, False
        return f"近{low + magnitude}", low + magnitude, True, False
    return str(true), true, False, False


def _render(rng: random.Random, template: str, values: dict[str, Any], year: int,
            opts: FactOpts) -> tuple[str, list[list[Any]]]:
    """The sentence and its facts as [start, end, {value, cells, approx, alternatives, wrong}] spans."""
    template = _MACRO.sub(lambda m: rng.choice(MACROS[m.group(1)]), template)
    template = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    out, facts, pos = [], [], 0
    states_carried = "{q:carried}" in template
    with_carried = _WITH_CARRIED in template
    for m in _SLOT.finditer(template):
        out.append(template[pos:m.start()])
        pos = m.end()
        slot = m.group(1)
        if slot == "year":
            out.append(str(year))
            continue
        if slot == "next":
            out.append(str(year + 1))
            continue
        if slot.startswith("d:"):
            out.append(_distractor(rng, slot[2:]))
            continue
        alternatives: list[tuple[str, ...]] = []
        if slot == "recv":  # 受理: new, or new + carried over; the sentence decides or leaves both
            both = NEW + CARRIED
            cells = both if with_carried else NEW if states_carried else rng.choice((NEW, both))
            if not with_carried and not states_carried:
                alternatives = [NEW if cells == both else both]
        elif slot == "yuanfees":  # the fee cell (万元) printed in 元
            cells = QUANTITIES["fees"]
        else:
            cells = QUANTITIES[slot[2:]]
        true = sum(values.get(c) or 0 for c in cells)
        if slot == "yuanfees":
            true = round(true * 10_000)
            printed, value, approx, wrong = _printed(rng, true, FactOpts(opts.wrong, 0.0))
            value = round(value / 10_000, 6)
            if value == int(value):
                value = int(value)
        else:
            printed, value, approx, wrong = _printed(rng, true, opts)
        start = sum(len(x) for x in out)
        out.append(printed)
        facts.append([start, start + len(printed), {"value": value, "cells": list(cells), "approx": approx,
                                                     "alternatives": [list(a) for a in alternatives],
                                                     "wrong": wrong}])
    out.append(template[pos:])
    return "".join(out), facts


def _paragraph(rng: random.Random, banks: tuple[tuple[str, ...], ...], values: dict[str, Any], year: int,
               opts: FactOpts, section: str | None) -> Ln:
    text, spans = "", []
    for bank in banks:
        sentence, facts = _render(rng, rng.choice(bank), values, year, opts)
        spans += [[s + len(text), e + len(text), f] for s, e, f in facts]
        text += sentence
    return Ln(text, "narrative", "para", section=section, facts=spans)


def _section_end(lines: list[Ln], key: str) -> int | None:
    """The index after the last line of section `key` (before the next section heading)."""
    start = next((i for i, ln in enumerate(lines) if ln.kind == "section" and ln.section == key), None)
    if start is None:
        return None
    nxt = next((i for i in range(start + 1, len(lines)) if lines[i].kind == "section"), None)
    end = nxt if nxt is not None else len(lines)
    while end > start + 1 and lines[end - 1].kind in ("blank", "signature"):
        end -= 1
    return end


def add_fact_paragraphs(lines: list[Ln], doc: Any, seed: int, year: int, blank_between: bool,
                        sections: tuple[str, str, str]) -> int:
    """Insert paragraphs stating table values at the end of sections 一, 五 and 六; returns how many."""
    rng = random.Random(f"narrative-facts-{seed}")
    opts = FactOpts()
    plans = {
        sections[0]: [(REQUESTS, REQUESTS), (DISCLOSURE, REQUESTS), (SUPERVISION,), (REGULATION, DISCLOSURE)],
        sections[1]: [(PROBLEMS,)],
        sections[2]: [(FEES,), (FEES, SUPERVISION)],
    }
    added = 0
    for key in (sections[2], sections[1], sections[0]):  # from the end: earlier indices stay valid
        at = _section_end(lines, key)
        if at is None or rng.random() < (0.2 if key == sections[0] else 0.5):
            continue
        chosen = rng.sample(plans[key], rng.randint(1, len(plans[key])))
        new: list[Ln] = []
        for banks in chosen:
            if blank_between:
                new.append(blank())
            ln = _paragraph(rng, banks, doc.values, year, opts, key)
            ln.para = doc.add_paragraph(key, ["requests"] if key == sections[0] else [])
            new.append(ln)
        lines[at:at] = new
        added += len(chosen)
    return added


def fact_annotations(lines: list[Ln], cells: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's `facts` (../shared/spec/facts.md) from the spans the rewrites kept: the clause as the
    candidate reader cuts it, `agrees` against the record's cells (null where a cell is absent or blank)."""
    out: list[dict[str, Any]] = []
    for n, ln in enumerate(lines, 1):
        if not ln.facts or ln.label != "narrative":
            continue
        cands = extract_candidates(ln.text, n)
        for start, end, f in ln.facts:
            if end > len(ln.text):  # cut by a truncated end
                continue
            cand = next((c for c in cands if start <= c.number_start < end), None)
            if cand is None or cand.value != f["value"] or not cand.can_be_fact:
                continue  # a rewrite made the number unreadable: not stated any more
            present = [cells.get(c) for c in f["cells"]]
            total = None if any(v is None for v in present) else sum(present)
            fact = {"line": n, "text": cand.text, "value": f["value"], "cells": f["cells"],
                    "agrees": agrees(f["value"], f["approx"], total)}
            if f["approx"]:
                fact["approx"] = True
            if f["alternatives"]:
                fact["alternatives"] = f["alternatives"]
            out.append(fact)
    return out
