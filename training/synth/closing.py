"""Sections 五 (problems and measures) and 六 (fees, other matters), and the signature that may close a report."""
from __future__ import annotations

from gazette_nlp.template import SECTIONS

from . import phrases_more as M
from .compose import ORDINALS
from .doc import Ln
from .narrative import Narrator

_KEY5, _KEY6 = SECTIONS[4].key, SECTIONS[5].key


def _ordinal_list(items: list[str]) -> str:
    if len(items) == 1:
        return items[0] + "。"
    return "；".join(f"{ORDINALS[i]}是{s}" for i, s in enumerate(items)) + "。"


def section5(nr: Narrator) -> list[Ln]:
    rng, c = nr.rng, nr.comp
    out = nr.section_heading(_KEY5)
    themes = rng.sample(list(M.PROBLEMS), rng.randint(1, 3))
    probs = [c.fill(c.pick(M.PROBLEMS[t])) for t in themes]
    measure_themes = themes if rng.random() < 0.6 else rng.sample(themes, len(themes))
    measures = [c.fill(c.pick(M.MEASURES[t])) for t in measure_themes]
    lead, mlead = c.fill(rng.choice(M.PROBLEM_LEADS)), c.fill(rng.choice(M.MEASURE_LEADS))
    r = rng.random()
    if r < 0.4:
        nr.para(out, lead + _ordinal_list(probs) + mlead + _ordinal_list(measures), _KEY5, themes)
    elif r < 0.75:
        first, second = rng.choice(M.SECTION5_SUBS)
        form = rng.choice(("（{cn}）", "({cn})", "({cn}) ", "{ar}."))
        stop = "。" if rng.random() < 0.3 else ""
        nr.heading(out, form.format(cn=ORDINALS[0], ar=1) + first + stop, "sub", _KEY5)
        nr.para(out, lead + _ordinal_list(probs), _KEY5, themes)
        nr.heading(out, form.format(cn=ORDINALS[1], ar=2) + second + stop, "sub", _KEY5)
        nr.para(out, mlead + _ordinal_list(measures), _KEY5, measure_themes)
    else:
        nr.para(out, lead + _ordinal_list(probs) + mlead, _KEY5, themes)
        nr.items(out, _KEY5, themes[0], rng.randint(2, 3))
    return out


def _fees(nr: Narrator) -> str:
    c = nr.comp
    return c.fill(c.pick(M.FEES_CHARGED if nr.rng.random() < 0.05 else M.FEES))


def section6(nr: Narrator) -> list[Ln]:
    rng, c = nr.rng, nr.comp
    out = nr.section_heading(_KEY6)
    r = rng.random()
    if r < 0.35:
        nr.para(out, _fees(nr), _KEY6, ["fees"])
        if rng.random() < 0.3:
            nr.para(out, c.meta((M.PERIOD, M.CONTACT)), _KEY6, [])
    elif r < 0.6:
        nr.para(out, rng.choice(M.NOTHING), _KEY6, [])
    elif r < 0.85:
        form = rng.choice(("（{cn}）", "({cn})", "({cn}) "))
        stop = "。" if rng.random() < 0.5 else ""
        nr.heading(out, form.format(cn=ORDINALS[0]) + c.fill(rng.choice(M.SECTION6_SUBS)) + stop, "sub", _KEY6)
        nr.items(out, _KEY6, rng.choice(list(M.ITEM_TITLES)))
        nr.heading(out, form.format(cn=ORDINALS[1]) + rng.choice(M.SECTION6_FEE_SUB) + stop, "sub", _KEY6)
        nr.para(out, _fees(nr), _KEY6, ["fees"])
    else:  # fees and the statistics period in one paragraph (003)
        nr.para(out, _fees(nr) + c.meta((M.PERIOD, M.CONTACT)), _KEY6, ["fees"])
    return out


def signature(nr: Narrator, year: int) -> list[Ln]:
    rng = nr.rng
    out: list[Ln] = []
    nr._gap(out)
    out.append(Ln(nr.comp.issuer.full, "other", "signature"))
    out.append(Ln(f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日", "other", "signature"))
    return out
