"""Sentences and paragraphs from the phrase banks, with slots filled for one issuer and one year.

A paragraph's `themes` are exactly the themes of the sentences it was built from (at most three), so the labels
are right by construction; fluff sentences (现将有关情况报告如下：) carry none and never stand alone.
"""
from __future__ import annotations

import random
from typing import Any

from . import phrases as P
from . import phrases_more as M
from .issuers import Issuer

THEMES: tuple[str, ...] = ("staffing", "active_disclosure", "requests", "info_management", "platforms", "training",
                           "supervision", "interpretation", "fees")
ORDINALS = "一二三四五六七八九十"
_NUMBER_SLOTS = {"n": (20, 5000), "n2": (5, 400), "n3": (1, 80), "k": (1, 12), "k2": (1, 5), "k3": (2, 30),
                 "pct": (1, 60), "num": (1, 300), "fee": (10, 800)}


class _Slots(dict):
    """Slot values; numbers are drawn fresh for every sentence."""

    def __init__(self, base: dict[str, Any], rng: random.Random, we: tuple[str, ...]) -> None:
        super().__init__(base)
        self.rng, self.we = rng, we

    def __missing__(self, key: str) -> str:
        if key == "we":
            v = self.rng.choice(self.we)
        elif key in ("p1", "p2", "p3"):  # parts of {n} (其中…): never more than the whole
            whole = int(self["n"])
            v = str(int(whole * self.rng.uniform(0.05, 0.4)))
        elif key in _NUMBER_SLOTS:
            lo, hi = _NUMBER_SLOTS[key]
            v = str(int(lo * (hi / lo) ** self.rng.random()))
        else:
            raise KeyError(key)
        self[key] = v
        return v


class Composer:
    def __init__(self, rng: random.Random, issuer: Issuer, year: int, requests: int, appeals: int) -> None:
        self.rng, self.issuer, self.year = rng, issuer, year
        self.used: set[str] = set()
        brand = rng.choice((issuer.short[:2] + "发布", issuer.short + "政务", issuer.short[:2] + "微讯",
                            "印象" + issuer.short[:2]))
        a = rng.randint(0, requests)
        self.requests, self.appeals = requests, appeals
        self.base = {
            "short": issuer.short, "full": issuer.full, "leader": issuer.leader, "unit": issuer.unit,
            "sub": issuer.sub, "parent": issuer.parent, "office": issuer.office, "region": issuer.region,
            "year": str(year), "nyear": str(year + 1), "brand": brand, "wx": f"“{brand}”微信公众号",
            "site": rng.choice((f"{issuer.region}人民政府门户网站", f"{issuer.short}政务公开网", "政府门户网站",
                                "政府信息公开平台", f"{issuer.region}政府网站{issuer.short}专栏")),
            "place": rng.choice(("政府大院", "办公楼一楼大厅", "便民服务中心", "机关大院", "政务服务大厅")),
            "req": str(requests), "req_a": str(a), "req_b": str(requests - a),
            "phone": f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}",
            "road": rng.choice(("人民路", "建设路", "解放路", "中山路", "府前街", "新华路")),
            "zip": str(rng.randint(100000, 859999)),
        }

    def fill(self, template: str) -> str:
        return template.format_map(_Slots(self.base, self.rng, self.issuer.we))

    def pick(self, bank: tuple[str, ...]) -> str:
        fresh = [s for s in bank if s not in self.used]
        s = self.rng.choice(fresh or list(bank))
        self.used.add(s)
        return s

    def sentence(self, theme: str) -> str:
        if theme == "requests" and "requests-lead" not in self.used:
            self.used.add("requests-lead")
            return self.fill(self.pick(M.REQUESTS_SOME if self.requests else M.REQUESTS_NONE))
        if theme == "requests" and not self.appeals and self.rng.random() < 0.3:
            return self.fill(self.pick(M.APPEALS_NONE))
        return self.fill(self.pick(P.WORK[theme]))

    def body(self, primary: str, n: int, extra: float = 0.3) -> tuple[list[str], list[str]]:
        """Sentences of a paragraph about `primary`, sometimes with a second or third theme mixed in."""
        rng = self.rng
        themes = [primary]
        sents = [self.sentence(primary) for _ in range(n)]
        if rng.random() < 0.3:
            mixed = [m for m in P.MIXED if primary in m[0] and m[1] not in self.used
                     and not (self.appeals and "行政复议" in m[1])]  # prose must agree with table 4
            if mixed:
                ts, s = rng.choice(mixed)
                self.used.add(s)
                sents.insert(rng.randint(1, len(sents)), self.fill(s))
                themes += [t for t in ts if t not in themes]
        if rng.random() < extra and len(themes) < 3:
            other = rng.choice([t for t in THEMES[:-1] if t not in themes])
            sents.insert(rng.randint(1, len(sents)), self.sentence(other))
            themes.append(other)
        return sents, themes

    def join(self, sents: list[str], enumerate_: bool = False) -> str:
        if enumerate_ and len(sents) > 1:
            parts = [f"{ORDINALS[i]}是{s.rstrip('。：')}" for i, s in enumerate(sents)]
            return "；".join(parts) + "。"
        return "".join(sents)

    def paragraph(self, primary: str, n: int | None = None, extra: float = 0.3) -> tuple[str, list[str]]:
        sents, themes = self.body(primary, n or self.rng.randint(1, 4), extra)
        return self.join(sents, self.rng.random() < 0.15), themes

    def intro(self) -> tuple[str, list[str]]:
        themed = [i for i in P.INTRO if i[0]]
        fluff = [i for i in P.INTRO if not i[0]]
        picks = self.rng.sample(themed, self.rng.choice((1, 1, 2)))
        if self.rng.random() < 0.35:
            picks.append(self.rng.choice(fluff))
        themes: list[str] = []
        for ts, _ in picks:
            themes += [t for t in ts if t not in themes]
        if len(themes) > 3:
            picks = picks[:1]
            themes = list(picks[0][0])
        picks.sort(key=lambda p: not p[0])  # fluff (现将…报告如下：) closes the paragraph
        sents = [self.fill(s) for _, s in picks]
        return "".join(sents), themes

    def meta(self, banks: tuple[tuple[str, ...], ...]) -> str:
        return "".join(self.fill(self.pick(b)) for b in banks)
