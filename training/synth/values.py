"""Random cell values that satisfy every identity of the template by construction.

Table 3 is built column by column from what an office really does: it receives `new` requests, carries some
over, settles them into the 21 outcome rows and carries the rest forward; every total is then a sum, so the
balance, component and row identities hold for any draw. Real reports are mostly zeros (a township receives
no requests at all), with the occasional large count (74833 licensing decisions) and fee amounts printed with
decimals (2561.768 万元).
"""
from __future__ import annotations

import math
import random
from gazette_nlp.template import (APPLICANT_COLUMNS, IDENTITIES, T2_BLOCKS, T3_COMPONENTS, T3_ROWS, T4_GROUPS, T4_KEYS,
                                  t3)

def _balance_rows() -> tuple[str, str, str, str]:
    """Row keys of the balance identity: new + carried_over = total + carried_forward."""
    ident = next(i for i in IDENTITIES if i.name.startswith("t3.balance."))
    (new, carried), (total, forward) = ([c.split(".")[1] for c in side] for side in (ident.lhs, ident.rhs))
    return new, carried, total, forward


NEW, CARRIED, TOTAL, FORWARD = _balance_rows()

# How often an office settles a request each way; keys are T3 row keys, unknown keys weigh 0.3.
OUTCOME_WEIGHTS: dict[str, float] = {
    "granted": 12.0, "partial": 3.0, "unable.not_held": 6.0, "unable.needs_creation": 1.0,
    "unable.unclear_after_correction": 0.6, "rejected.petition_complaint": 1.5, "rejected.duplicate": 1.0,
    "rejected.reconfirm": 0.4, "withheld.third_party": 0.4, "withheld.process_info": 0.4,
    "withheld.internal_affairs": 0.4, "other.no_correction": 1.0, "other.other": 1.5, "other.unpaid_fee": 0.05,
}
# who applies: natural persons almost always, organisations rarely
APPLICANT_RATE: tuple[float, ...] = (0.97, 0.25, 0.04, 0.05, 0.12, 0.2)

# requests received per year and per applicant kind, by issuer level: (typical, heavy)
REQUEST_SCALE = {"township": (3, 15), "street": (4, 20), "county": (20, 150), "department": (6, 40),
                 "city": (60, 600), "province": (200, 3000)}
DECISION_SCALE = {"township": 300, "street": 400, "county": 60000, "department": 8000, "city": 150000,
                  "province": 400000}


def _count(rng: random.Random, typical: int) -> int:
    """Skewed small counts: mostly 0–typical, sometimes several times more."""
    x = rng.expovariate(1.0 / max(typical, 1))
    return int(x)


def _spread(rng: random.Random, total: int, keys: list[str], weights: list[float]) -> dict[str, int]:
    out = dict.fromkeys(keys, 0)
    if total <= 0:
        return out
    draws = min(total, 400)
    picks = rng.choices(keys, weights=weights, k=draws)
    for k in picks:
        out[k] += 1
    if draws < total:  # large totals: scale the sample up, remainder to the commonest outcome
        out = {k: v * total // draws for k, v in out.items()}
        top = max(out, key=out.get)
        out[top] += total - sum(out.values())
    return out


def t3_values(rng: random.Random, level: str, profile: str) -> dict[str, int]:
    vals: dict[str, int] = {}
    typical, heavy = REQUEST_SCALE[level]
    scale = heavy if profile == "large" else typical
    weights = [OUTCOME_WEIGHTS.get(k, 0.3) for k in T3_COMPONENTS]
    comps = list(T3_COMPONENTS)
    for i, col in enumerate(APPLICANT_COLUMNS):
        new = carried = forward = 0
        if profile != "zero" and rng.random() < APPLICANT_RATE[i]:
            new = _count(rng, scale if i == 0 else max(1, scale // 5)) + (i == 0)
            carried = _count(rng, max(1, scale // 6)) if rng.random() < 0.25 else 0
            forward = rng.randint(0, min(new + carried, max(1, scale // 4))) if rng.random() < 0.25 else 0
        handled = new + carried - forward
        vals[t3(NEW, col)], vals[t3(CARRIED, col)], vals[t3(FORWARD, col)] = new, carried, forward
        for key, v in _spread(rng, handled, comps, weights).items():
            vals[t3(key, col)] = v
        vals[t3(TOTAL, col)] = handled
    for r in T3_ROWS:
        vals[t3(r.key, "total")] = sum(vals[t3(r.key, c)] for c in APPLICANT_COLUMNS)
    return vals


def t4_values(rng: random.Random, profile: str) -> dict[str, int]:
    vals: dict[str, int] = {}
    for g, _ in T4_GROUPS:
        busy = profile != "zero" and rng.random() < (0.6 if profile == "large" else 0.25)
        parts = [(_count(rng, 2) if busy and rng.random() < 0.6 else 0) for _ in T4_KEYS[:-1]]
        for (k, _), v in zip(T4_KEYS[:-1], parts):
            vals[f"t4.{g}.{k}"] = v
        vals[f"t4.{g}.{T4_KEYS[-1][0]}"] = sum(parts)
    return vals


def _fee(rng: random.Random) -> int | float:
    r = rng.random()
    if r < 0.78:
        return 0
    if r < 0.85:
        return rng.randint(1, 900)
    digits = rng.choice((1, 1, 2, 2, 3, 4))
    v = round(10 ** rng.uniform(-1.5, 3.8), digits)
    return v if v > 0 else 0.1


def t2_values(rng: random.Random, level: str) -> dict[str, int | float]:
    vals: dict[str, int | float] = {}
    fee_block = T2_BLOCKS[-1]  # 第二十条第（八）项, the one amount (万元) of table 2
    makes_rules = level in ("province", "city")  # only they may issue 规章 (the first row of the first block)
    quiet = 0.8 if level in ("township", "street") else 0.35
    top = math.log10(DECISION_SCALE[level])
    for block in T2_BLOCKS:
        for ri, (rk, _) in enumerate(block.rows):
            for ci, (ck, _) in enumerate(block.columns):
                cid = f"t2.{rk}.{ck}"
                if block is fee_block:
                    vals[cid] = _fee(rng)
                elif len(block.columns) > 1:  # issued / repealed / in force
                    silent = (ri == 0 and not makes_rules) or rng.random() < quiet
                    vals[cid] = 0 if silent else _count(rng, 40 if ci == len(block.columns) - 1 else 4)
                else:
                    vals[cid] = 0 if rng.random() < 0.3 else int(10 ** rng.uniform(0, top))
        if len(block.columns) > 1:  # what is in force includes what was issued this year
            for rk, _ in block.rows:
                first, last = f"t2.{rk}.{block.columns[0][0]}", f"t2.{rk}.{block.columns[-1][0]}"
                vals[last] = max(vals[last], vals[first])
    return vals


def make_values(rng: random.Random, level: str, profile: str) -> dict[str, int | float]:
    """All 200 cells; `profile` is zero (tables 3/4 all zero), small or large."""
    vals: dict[str, int | float] = {}
    vals.update(t2_values(rng, level))
    vals.update(t3_values(rng, level, profile))
    vals.update(t4_values(rng, profile))
    return vals


def draw_profile(rng: random.Random) -> str:
    r = rng.random()
    return "zero" if r < 0.45 else "small" if r < 0.87 else "large"
