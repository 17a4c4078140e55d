"""Cue words: how reports word each template quantity, so a candidate's quantity is the one its clause names.

Every cue in a candidate's clause proposes one quantity for it; the trained part (`tagger.py`) scores each
(candidate, proposed quantity) pair from where the cue stands (`办结依申请公开81件`: 办结 and then 依申请公开,
`其中维持4件`) and from the words around the number, and keeps the best pair or none (O). Cues are the
template's own row words and their common paraphrases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# label -> cue patterns (regular expressions over the clause before the number)
CUES: dict[str, tuple[str, ...]] = {
    "new": (r"新收", r"新受理", r"新接收", r"新增"),
    "received": (r"受理", r"收到", r"接收", r"接到", r"申请", r"办理.{0,4}事项", r"依申请公开"),
    "carried_over": (r"上一?年度?结转", r"上年度?转入", r"结转(?:至|到)?本年"),
    "handled": (r"办结", r"答复", r"办理完毕", r"回复", r"共办理", r"累计办理", r"办理"),
    "carried_forward": (r"结转(?:至|到)?下一?年", r"结转(?:至|到)?20\d\d", r"顺延到?下一?年", r"转入下一?年", r"结转下"),
    "granted": (r"予以公开", r"同意公开", r"公开"),
    "partial": (r"部分公开",),
    "granted_partial": (r"公开(?:及|和|与|或|、)部分公开", r"全部或部分公开"),
    "withheld": (r"不予公开",),
    "unable": (r"无法提供",),
    "rejected": (r"不予处理",),
    "other_processing": (r"其他处理",),
    "review": (r"行政复议", r"复议"),
    "litigation": (r"行政诉讼", r"诉讼"),
    "litigation_direct": (r"未经复议直接(?:起诉|诉讼)", r"直接(?:起诉|诉讼)"),
    "litigation_after_review": (r"复议后(?:起诉|诉讼)",),
    "upheld": (r"维持",),
    "corrected": (r"纠正",),
    "other_result": (r"其他结果",),
    "pending": (r"尚未审结", r"尚未办结", r"未审结"),
    "rules_issued": (r"(?:制发|制定|出台|印发|发布|公开).{0,8}规章", r"规章"),
    "rules_repealed": (r"废止.{0,8}规章",),
    "rules_in_force": (r"(?:现行有效|继续有效|累计).{0,8}规章",),
    "normative_issued": (r"(?:制发|制定|出台|印发|发布|新发布).{0,8}规范性文件", r"规范性文件"),
    "normative_repealed": (r"废止.{0,8}规范性文件",),
    "normative_in_force": (r"(?:现行有效|继续有效|累计).{0,12}规范性文件",),
    "licensing": (r"(?:行政)?许可.{0,6}(?:处理)?(?:决定|事项)",),
    "penalty": (r"(?:行政)?处罚.{0,6}(?:处理)?(?:决定|事项|案件)",),
    "enforcement": (r"行政强制.{0,6}(?:处理)?(?:决定|事项)?",),
    "fees": (r"行政事业性收费",),
    "applicant": (r"自然人", r"公民个人", r"商业企业", r"科研机构", r"社会公益组织", r"法律服务机构",
                  r"法人或其他组织", r"法人和其他组织", r"其他组织"),
}
_COMPILED = {label: [re.compile(p) for p in patterns] for label, patterns in CUES.items()}


@dataclass(frozen=True)
class Cue:
    label: str
    pattern: str
    start: int  # offsets in the text searched
    end: int


_ANY = re.compile("|".join(f"(?:{p})" for patterns in CUES.values() for p in patterns))


def has_cue(text: str) -> bool:
    """One search: a line without any cue can hold no fact, so most narrative lines stop here."""
    return _ANY.search(text) is not None


def find_cues(text: str) -> list[Cue]:
    """Every cue in `text`, overlapping ones included (`发布现行有效行政规范性文件` proposes issued and in force;
    the scorer learns which wins from the patterns and from `covered`)."""
    if not has_cue(text):
        return []
    found = {Cue(label, p.pattern, m.start(), m.end()) for label, patterns in _COMPILED.items() for p in patterns
             for m in p.finditer(text)}
    return sorted(found, key=lambda c: (c.start, c.end, c.label, c.pattern))


def covered(cue: Cue, cues: list[Cue]) -> bool:
    """Inside a longer cue of another quantity (部分公开 inside 公开及部分公开)."""
    return any(o.label != cue.label and o.start <= cue.start and cue.end <= o.end and o.end - o.start >
               cue.end - cue.start for o in cues)
