"""Evaluation against gold annotations, with the definitions of ../shared/tools/score.py.

cell accuracy: a gold cell is right when the output has it with an equal value (null == null);
line macro-F1: mean F1 over the labels that occur in gold (lines matched by `n`, else by text in order);
theme micro-F1: gold paragraphs matched by start line `n`; extra cells: non-null output cells gold lacks.

Beyond score.py's figures, `evaluate_records` returns what the HTML report (`report_html`) draws: the full line
confusion matrix, cell accuracy per table, and one entry per scored cell (`cell_details`) with the output's line
and confidence, so wrong cells can be listed and confidence checked against accuracy.
"""
from __future__ import annotations

import collections
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .annotations import iter_gold_files, read_gold
from .cells.numbers import same_value
from .errors import GazetteError
from .model import LINE_LABELS


def _value(c: Any) -> Any:
    return c.get("value") if isinstance(c, dict) else c


def per_label_f1(conf: dict[tuple[str, str], int], labels: Iterable[str]) -> dict[str, float]:
    """F1 of each label with gold support, from a (gold, predicted) → count confusion."""
    out = {}
    for lab in labels:
        tp = conf.get((lab, lab), 0)
        fp = sum(v for (g, o), v in conf.items() if o == lab and g != lab)
        fn = sum(v for (g, o), v in conf.items() if g == lab and o != lab)
        if tp + fn:
            out[lab] = round(_f1(tp, fp, fn), 4)
    return out


def _f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def record_key(record: dict[str, Any]) -> str:
    src = record.get("source") or record.get("id") or ""
    return Path(str(src)).stem


def _record_for(gold: dict[str, Any], by_key: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    gid = str(gold.get("id"))
    return by_key.get(Path(str(gold.get("source") or gid)).stem) or by_key.get(gid)


def unmatched_golds(records: Iterable[dict[str, Any]], golds: Iterable[dict[str, Any]]) -> list[str]:
    """The gold reports no record belongs to (by source file name, else id). Raises `NoMatchingRecordsError`
    when none belongs to any: a score of 0.0 would then measure the file names, not the parser."""
    from .errors import NoMatchingRecordsError

    records, golds = list(records), list(golds)
    by_key = {record_key(r): r for r in records}
    missing = [str(g.get("source") or g.get("id")) for g in golds if _record_for(g, by_key) is None]
    if golds and len(missing) == len(golds):
        preds = sorted({str(r.get("source")) for r in records})
        raise NoMatchingRecordsError(
            f"no prediction record matches a gold report (matched by file name): gold {_few(missing)}; "
            f"predictions {_few(preds) if preds else '(none)'}")
    return missing


def _few(names: list[str], n: int = 5) -> str:
    return ", ".join(names[:n]) + (f" and {len(names) - n} more" if len(names) > n else "")


def evaluate_records(records: Iterable[dict[str, Any]], golds: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Score output records (the JSON contract) against gold records."""
    by_key = {record_key(r): r for r in records}
    cells_total = cells_ok = extra = reports = missing = all_ok = 0
    conf: collections.Counter = collections.Counter()
    theme_counts = collections.Counter()  # (theme, tp/fp/fn)
    wrong: list[tuple] = []
    details: list[dict[str, Any]] = []
    exact = paras = 0
    for gold in golds:
        reports += 1
        gid = str(gold.get("id"))
        rec = _record_for(gold, by_key)
        gcells = gold.get("cells") or {}
        if rec is None:
            missing += 1
            cells_total += len(gcells)
            details += [_detail(gid, cid, gv, None, False, {}) for cid, gv in gcells.items()]
            for ln in gold.get("lines", []):
                conf[(ln["label"], None)] += 1
            continue
        out_cells = rec.get("cells") or {}
        texts = {ln.get("n"): ln.get("text") for ln in rec.get("lines") or []}
        ok = True
        for cid, gv in gcells.items():
            cells_total += 1
            right = cid in out_cells and same_value(_value(out_cells[cid]), gv)
            details.append(_detail(gid, cid, gv, out_cells.get(cid), right, texts))
            if right:
                cells_ok += 1
            else:
                ok = False
                wrong.append((gid, cid, gv, _value(out_cells[cid]) if cid in out_cells else "<absent>"))
        all_ok += ok
        for cid, c in out_cells.items():
            if cid not in gcells and _value(c) is not None:
                extra += 1
                details.append({**_detail(gid, cid, None, c, False, texts), "extra": True})
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
    per_label = per_label_f1(conf, LINE_LABELS)
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
        "line_confusion_matrix": _matrix(conf),
        "cell_accuracy_by_table": _by_table(details),
        "cell_details": details,
    }


def _detail(gid: str, cid: str, gv: Any, out: Any, right: bool, texts: dict[Any, Any]) -> dict[str, Any]:
    """One scored cell. `output` is None with `absent` True when the output lacks the cell; the line's text is
    kept only for wrong cells, where a reader needs it (it would double the size of a large evaluation)."""
    c = out if isinstance(out, dict) else ({"value": out} if out is not None else None)
    line = c.get("line") if c else None
    return {"report": gid, "cell": cid, "table": cid.split(".", 1)[0], "gold": gv,
            "output": c.get("value") if c else None, "absent": c is None, "right": right, "line": line,
            "confidence": c.get("confidence") if c else None, "origin": c.get("origin") if c else None,
            "line_text": None if right or line is None else texts.get(line)}


def _matrix(conf: collections.Counter) -> dict[str, dict[str, int]]:
    """{gold label: {predicted label: count}}, diagonal included; an unmatched gold line counts as `missing`."""
    out: dict[str, dict[str, int]] = {}
    for (g, o), v in conf.items():
        row = out.setdefault(g, {})
        row[o or "missing"] = row.get(o or "missing", 0) + v
    return out


def _by_table(details: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Cell accuracy of the gold cells of each table (t2 / t3 / t4); extra cells are not gold cells."""
    out: dict[str, dict[str, Any]] = {}
    for d in details:
        if d.get("extra"):
            continue
        t = out.setdefault(d["table"], {"cells": 0, "right": 0})
        t["cells"] += 1
        t["right"] += d["right"]
    for t in out.values():
        t["accuracy"] = round(t["right"] / t["cells"], 4) if t["cells"] else None
    return dict(sorted(out.items()))


def reliability(details: Iterable[dict[str, Any]], bins: int = 10) -> list[dict[str, Any]]:
    """Confidence against accuracy for the output cells that have a confidence (gold cells present in the output
    and extra cells): per equal-width confidence bin, the cell count, mean confidence and accuracy."""
    rows = [{"lo": k / bins, "hi": (k + 1) / bins, "n": 0, "conf": 0.0, "right": 0} for k in range(bins)]
    for d in details:
        c = d.get("confidence")
        if d.get("absent") or c is None:
            continue
        r = rows[min(int(float(c) * bins), bins - 1)]
        r["n"] += 1
        r["conf"] += float(c)
        r["right"] += bool(d["right"])
    return [{"lo": round(r["lo"], 4), "hi": round(r["hi"], 4), "n": r["n"],
             "mean_confidence": round(r["conf"] / r["n"], 4) if r["n"] else None,
             "accuracy": round(r["right"] / r["n"], 4) if r["n"] else None} for r in rows]


def load_golds(gold: str | Path) -> list[dict[str, Any]]:
    return [read_gold(f) for f in iter_gold_files(gold)]


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """Parse output as JSONL; a missing or malformed file is a `DataError` naming the file and line."""
    from .errors import DataError

    try:
        with open(path, encoding="utf-8") as fh:
            lines = list(fh)
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot read predictions ({e})") from None
    out = []
    for k, line in enumerate(lines, 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise DataError(f"{path}:{k}: not a JSON record ({e.msg})") from None
    return out


class TrainingCodeNotFoundError(GazetteError):
    """The repository's `training/` package (the synthetic generator, per-corruption evaluation) is not here."""


def evaluate_corruptions(per_type: int, mixed: int | None = None, tagger: Any = None) -> dict[str, Any]:
    """Cell accuracy by synthetic corruption type: `training.eval_cells.evaluate` on `held_out_sets(per_type,
    mixed)` (mixed defaults to per_type) for the aligners at hand. `tagger`: a CellTagger, False for none, or
    None to load the shipped one when models/cell_tagger exists (rules and baseline only otherwise).

    The generator is training code, not part of the installed package: it is imported lazily from a checkout."""
    if per_type < 1:
        raise GazetteError("--synthetic needs at least 1 report per corruption type")
    ev = _eval_cells()
    if tagger is None:
        from .paths import model_path

        # no shipped tagger: the rule aligner and the baseline are still worth comparing; a tagger directory that
        # is there but broken is an error (ModelError), not something to skip in silence
        if model_path("cell_tagger").is_dir():
            from .cells.tagger import CellTagger

            tagger = CellTagger.load()
        else:
            tagger = False
    return ev.evaluate(ev.held_out_sets(per_type, per_type if mixed is None else mixed), ev.aligners(tagger))


def corruption_table(corruption: dict[str, Any]) -> str:
    """`evaluate_corruptions`' figures as a text table (training.eval_cells.table)."""
    return _eval_cells().table(corruption)


def _eval_cells() -> Any:
    import importlib

    # `training` is a package of the install (pyproject), imported only here, on demand: parsing never needs it
    try:
        return importlib.import_module("training.eval_cells")
    except ModuleNotFoundError as e:
        raise TrainingCodeNotFoundError(f"per-corruption evaluation needs the training code ({e}); "
                                        "reinstall gazette-nlp") from None
