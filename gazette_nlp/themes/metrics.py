"""Theme metrics, with the definitions of ../shared/tools/score.py: micro-F1 over (paragraph, theme) pairs,
paragraphs matched by their start line `n`; plus per-theme precision/recall/F1 and paragraph exact match."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .terms import THEMES


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def theme_scores(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]]) -> dict[str, Any]:
    """Scores of predicted theme lists against gold theme lists (same order, one entry per paragraph)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold paragraphs but {len(pred)} predictions")
    counts = {t: [0, 0, 0] for t in THEMES}  # tp, fp, fn
    exact = 0
    for g, p in zip(gold, pred):
        g, p = set(g), set(p)
        exact += g == p
        for t in g | p:
            c = counts.setdefault(t, [0, 0, 0])
            c[0 if t in g and t in p else 1 if t in p else 2] += 1
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    per = {t: {**_prf(*c), "support": c[0] + c[2], "tp": c[0], "fp": c[1], "fn": c[2]}
           for t, c in counts.items() if any(c)}
    return {
        "paragraphs": len(gold),
        "micro": {**_prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn},
        "micro_f1": _prf(tp, fp, fn)["f1"],
        "macro_f1": round(sum(d["f1"] for d in per.values() if d["support"]) / max(1, sum(
            1 for d in per.values() if d["support"])), 4),
        "exact_match": round(exact / len(gold), 4) if gold else 0.0,
        "per_theme": per,
    }


def score_reports(gold_paragraphs: dict[str, list[dict[str, Any]]],
                  output_paragraphs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """score.py's matching: for each report, gold paragraphs {n, themes} against output paragraphs by `n`
    (a gold paragraph whose start the output lacks counts as predicted with no themes)."""
    g_all, p_all = [], []
    for rid, gparas in gold_paragraphs.items():
        out = {p.get("n"): p.get("themes") or [] for p in output_paragraphs.get(rid, [])}
        for gp in gparas:
            g_all.append(gp.get("themes") or [])
            p_all.append(out.get(gp.get("n"), []))
    return theme_scores(g_all, p_all)
