"""Evaluation against gold annotations, with the definitions of ../shared/tools/score.py.

cell accuracy: a gold cell is right when the output has it with an equal value (null == null);
line macro-F1: mean F1 over the labels that occur in gold (lines matched by `n`, else by text in order);
theme micro-F1: gold paragraphs matched by start line `n`; extra cells: non-null output cells gold lacks.
"""
from __future__ import annotations

import collections
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .annotations import iter_gold_files, read_gold
from .model import LINE_LABELS


def _value(c: Any) -> Any:
    return c.get("value") if isinstance(c, dict) else c


def _equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return False


def _f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def record_key(record: dict[str, Any]) -> str:
    src = record.get("source") or record.get("id") or ""
    return Path(str(src)).stem


def evaluate_records(records: Iterable[dict[str, Any]], golds: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Score output records (the JSON contract) against gold records."""
    by_key = {record_key(r): r for r in records}
    cells_total = cells_ok = extra = reports = missing = all_ok = 0
    conf: collections.Counter = collections.Counter()
    theme_counts = collections.Counter()  # (theme, tp/fp/fn)
    wrong: list[tuple] = []
    exact = paras = 0
    for gold in golds:
        reports += 1
        gid = str(gold.get("id"))
        rec = by_key.get(Path(str(gold.get("source") or gid)).stem) or by_key.get(gid)
        gcells = gold.get("cells") or {}
        if rec is None:
            missing += 1
            cells_total += len(gcells)
            for ln in gold.get("lines", []):
                conf[(ln["label"], None)] += 1
            continue
        out_cells = rec.get("cells") or {}
        ok = True
        for cid, gv in gcells.items():
            cells_total += 1
            if cid in out_cells and _equal(_value(out_cells[cid]), gv):
                cells_ok += 1
            else:
                ok = False
                wrong.append((gid, cid, gv, _value(out_cells[cid]) if cid in out_cells else "<absent>"))
        all_ok += ok
        extra += sum(1 for cid, c in out_cells.items() if cid not in gcells and _value(c) is not None)
        by_n = {ln.get("n"): ln.get("label") for ln in rec.get("lines") or [] if ln.get("n") is not None}
        by_text = collections.defaultdict(list)
        for ln in rec.get("lines") or []:
            by_text[(ln.get("text") or "").strip()].append(ln.get("label"))
        for ln in gold.get("lines", []):
            label = by_n.get(ln["n"]) if "n" in ln and ln["n"] in by_n else None
            if label is None and not ("n" in ln and ln["n"] in by_n):
                cand = by_text.get(ln["text"].strip())
                label = cand.pop(0) if cand else None
            conf[(ln["label"], label)] += 1
        out_paras = {p.get("n"): set(p.get("themes") or []) for p in rec.get("paragraphs") or []}
        for p in gold.get("paragraphs") or []:
            g, o = set(p.get("themes") or []), out_paras.get(p.get("n"), set())
            paras += 1
            exact += g == o
            for t in g | o:
                theme_counts[(t, "tp" if t in g and t in o else "fp" if t in o else "fn")] += 1
    per_label = {}
    for lab in LINE_LABELS:
        tp = conf[(lab, lab)]
        fp = sum(v for (g, o), v in conf.items() if o == lab and g != lab)
        fn = sum(v for (g, o), v in conf.items() if g == lab and o != lab)
        if tp + fn:
            per_label[lab] = round(_f1(tp, fp, fn), 4)
    lines_total = sum(conf.values())
    tp = sum(v for (t, k), v in theme_counts.items() if k == "tp")
    fp = sum(v for (t, k), v in theme_counts.items() if k == "fp")
    fn = sum(v for (t, k), v in theme_counts.items() if k == "fn")
    per_theme = {}
    for theme in sorted({t for t, _ in theme_counts}):
        a, b, c = (theme_counts[(theme, k)] for k in ("tp", "fp", "fn"))
        per_theme[theme] = {"precision": round(a / (a + b), 4) if a + b else 0.0,
                            "recall": round(a / (a + c), 4) if a + c else 0.0, "f1": round(_f1(a, b, c), 4),
                            "support": a + c}
    return {
        "reports": reports,
        "missing_reports": missing,
        "cells": cells_total,
        "cell_accuracy": round(cells_ok / cells_total, 4) if cells_total else None,
        "reports_all_cells_ok": all_ok,
        "extra_cells": extra,
        "lines": lines_total,
        "line_accuracy": round(sum(v for (g, o), v in conf.items() if g == o) / lines_total, 4) if lines_total else None,
        "line_macro_f1": round(sum(per_label.values()) / len(per_label), 4) if per_label else 0.0,
        "line_f1": per_label,
        "line_confusion": {f"{g}->{o}": v for (g, o), v in sorted(conf.items(), key=str) if g != o},
        "theme_micro_f1": round(_f1(tp, fp, fn), 4) if tp + fn else None,
        "theme_f1": per_theme,
        "paragraph_exact_match": round(exact / paras, 4) if paras else None,
        "wrong_cells": wrong,
    }


def load_golds(gold: str | Path) -> list[dict[str, Any]]:
    return [read_gold(f) for f in iter_gold_files(gold)]


def load_records(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
