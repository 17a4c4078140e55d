"""Cell accuracy by synthetic corruption type, for the three aligners, on held-out seeds (≥ 10_000_000).

    python -m training.eval_cells [--per-type 30] [--mixed 200] [--json runs/eval_cells.json]

Aligners: `combined` (the shipped pipeline: `align_cells` then `cross_check_cells`), `tagger` (CellTagger +
tagger_decode.tag_cells alone), `rules` (the rule-structured `align_cells`),
`baseline` (`align_cells_baseline`: numbers fill the cells in reading order). Every aligner reads the same
input: the text, line labels from the shipped line classifier, sections.

Sets: for every corruption / layout name, `--per-type` reports generated with exactly that name forced (a
layout is drawn when the name is not one); a report counts for the name only when the generator records that
the corruption changed it. Plus `clean` (no corruption) and `mixed` (the generator's natural draw).

Accuracy follows ../shared/tools/score.py: a gold cell is right when the output has it with an equal value
(null == null). Silent errors: output cells that are wrong (a wrong value, or a value gold does not have) with
confidence ≥ 0.9 and no issue naming them — the errors a user would not be warned about. Calibration:
`accuracy_confident` is the share of right cells among output cells with confidence ≥ 0.9 (target ≥ 0.995),
`share_confident` how many of the gold cells that covers.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from gazette_nlp.cells.numbers import same_value
from gazette_nlp.model import Report
from gazette_nlp.readers.text import report_from_text

HELD_OUT_SEED = 10_000_000
SILENT_CONF = 0.9


def prepare(rec: dict[str, Any]) -> Report:
    """The input every aligner gets, as the pipeline builds it: a text that lost its line breaks cut into virtual
    lines (a no-op otherwise), lines labelled by the shipped line classifier, sections segmented."""
    from gazette_nlp.lines.classifier import classify_lines
    from gazette_nlp.resegment import resegment_lines
    from gazette_nlp.sections import segment_sections

    report = report_from_text(rec["text"], source=rec.get("source") or rec["id"])
    return segment_sections(classify_lines(resegment_lines(report)))


def score_report(report: Report, gold: dict[str, Any]) -> dict[str, Any]:
    named = {c for i in report.issues for c in i.cells}
    wrong = []
    ok = ok_nz = nz = 0
    for cid, gv in gold.items():
        right = cid in report.cells and same_value(report.cells[cid].value, gv)
        ok += right
        if gv:  # non-zero, non-null: where a cell put in the wrong place rarely keeps the right value
            nz += 1
            ok_nz += right
        if not right:
            wrong.append(cid)
    bad_out = [cid for cid, c in report.cells.items()
               if (cid in gold and not same_value(c.value, gold[cid])) or (cid not in gold and c.value is not None)]
    silent = [cid for cid in bad_out if report.cells[cid].confidence >= SILENT_CONF and cid not in named]
    high = [cid for cid, c in report.cells.items() if c.confidence >= SILENT_CONF and (cid in gold or c.value is not None)]
    return {"ok": ok, "total": len(gold), "ok_nonzero": ok_nz, "nonzero": nz, "wrong": wrong, "silent": silent,
            "high": len(high), "high_right": sum(1 for cid in high if cid not in bad_out),
            "extra": sum(1 for cid, c in report.cells.items() if cid not in gold and c.value is not None)}


# ------------------------------------------------------------------ aligners
def aligners(tagger: Any = None) -> dict[str, Callable[[Report], Report]]:
    from gazette_nlp.cells import align_cells, align_cells_baseline
    from gazette_nlp.cells.tagger_decode import tag_cells

    out: dict[str, Callable[[Report], Report]] = {}
    if tagger is not False:
        from gazette_nlp.cells.crosscheck import cross_check_cells

        out["combined"] = lambda r: cross_check_cells(align_cells(r), tagger)
        out["tagger"] = lambda r: tag_cells(r, tagger)
    out["rules"] = align_cells
    out["baseline"] = align_cells_baseline
    return out


def held_out_sets(per_type: int = 30, mixed: int = 200, seed: int = HELD_OUT_SEED) -> dict[str, list[dict]]:
    """{set name: records}; seeds from `seed` on, one block of 10_000 per set."""
    from training.synth import CORRUPTIONS, generate_report

    sets: dict[str, list[dict]] = {}
    for k, name in enumerate(("mixed", "clean") + tuple(CORRUPTIONS)):
        base = seed + 10_000 * k
        if name == "mixed":
            recs = [generate_report(base + i) for i in range(mixed)]
        elif name == "clean":
            recs = [generate_report(base + i, clean=True) for i in range(per_type)]
        else:
            recs = [r for r in (generate_report(base + i, corruptions=[name]) for i in range(per_type))
                    if name in r["corruptions"]]
        sets[name] = recs
    return sets


def evaluate(sets: dict[str, list[dict]], fns: dict[str, Callable[[Report], Report]]) -> dict[str, Any]:
    """Per set and aligner: cell accuracy, reports with every cell right, silent errors, extra cells."""
    out: dict[str, Any] = {}
    seconds: dict[str, float] = defaultdict(float)
    reports: dict[str, int] = defaultdict(int)
    for name, recs in sets.items():
        row: dict[str, Any] = {"reports": len(recs), "cells": sum(len(r["cells"]) for r in recs)}
        for aname, fn in fns.items():
            ok = total = all_ok = silent = extra = ok_nz = nz = high = high_right = 0
            for rec in recs:
                report = prepare(rec)
                t = time.perf_counter()
                fn(report)
                seconds[aname] += time.perf_counter() - t
                reports[aname] += 1
                s = score_report(report, rec["cells"])
                ok, total = ok + s["ok"], total + s["total"]
                ok_nz, nz = ok_nz + s["ok_nonzero"], nz + s["nonzero"]
                all_ok += not s["wrong"]
                silent += len(s["silent"])
                extra += s["extra"]
                high, high_right = high + s["high"], high_right + s["high_right"]
            row[aname] = {"accuracy": round(ok / total, 4) if total else None,
                          "accuracy_nonzero": round(ok_nz / nz, 4) if nz else None, "reports_all_ok": all_ok,
                          "silent_errors": silent, "extra_cells": extra,
                          "share_confident": round(high / total, 4) if total else None,
                          "accuracy_confident": round(high_right / high, 4) if high else None}
        out[name] = row
    out["_speed_reports_per_s"] = {a: round(reports[a] / seconds[a], 1) if seconds[a] else None for a in fns}
    return out


# ------------------------------------------------------------------ the tagger alone (training metrics)
def evaluate_tagger_records(tagger: Any, records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """On gold-labelled reports (`to_report`: the line labels of the record): number-level accuracy against the
    training labels, of the argmax (`tagging`) and of the monotone assignment (`assignment`); cell accuracy
    after the whole decoding (all gold cells, and the non-zero ones)."""
    import numpy as np

    from gazette_nlp.cells.tagger import IGNORE
    from gazette_nlp.cells.tagger_decode import tag_cells
    from training.data import to_report
    from training.train_cells import gold_labels, synthetic_labels

    from gazette_nlp.cells.tagger_decode import monotone_assign

    stats: dict[str, int] = defaultdict(int)
    tag_ok = tag_total = dp_ok = cell_ok = cell_total = silent = ok_nz = nz = 0
    for rec in records:
        report = to_report(rec)
        tagging = tagger.tag(report)
        feats = tagging.features
        labels = synthetic_labels(rec, feats, stats) if "cell_spans" in rec else gold_labels(rec, feats, stats)
        pred = tagging.probs.argmax(axis=1) if len(feats.tokens) else np.zeros(0, dtype=int)
        dp = [0 if j is None else j + 1 for j in monotone_assign(tagging.probs)]
        for y, p, d in zip(labels, pred, dp):
            if y != IGNORE:
                tag_total += 1
                tag_ok += int(y == p)
                dp_ok += int(y == d)
        tag_cells(report, tagger)
        s = score_report(report, rec["cells"])
        cell_ok, cell_total, silent = cell_ok + s["ok"], cell_total + s["total"], silent + len(s["silent"])
        ok_nz, nz = ok_nz + s["ok_nonzero"], nz + s["nonzero"]
    return {"reports": len(records), "numbers": tag_total,
            "tagging_accuracy": round(tag_ok / tag_total, 4) if tag_total else None,
            "assignment_accuracy": round(dp_ok / tag_total, 4) if tag_total else None,
            "cell_accuracy_nonzero": round(ok_nz / nz, 4) if nz else None,
            "cell_accuracy": round(cell_ok / cell_total, 4) if cell_total else None,
            "silent_errors": silent}


def table(result: dict[str, Any]) -> str:
    """The figures as a text table: per set, each aligner's accuracy (all gold cells / the non-zero ones) and
    silent errors."""
    names = [a for a in ("combined", "tagger", "rules", "baseline") if a in result.get("_speed_reports_per_s", {})]
    head = f"{'set':26}{'reports':>8}{'cells':>7}" + "".join(f"{a:>24}" for a in names)
    sub = f"{'':41}" + "".join(f"{'acc':>9}{'non-0':>8}{'silent':>7}" for _ in names)
    lines = [head, sub, "-" * len(head)]

    def fmt(v):
        return "-" if v is None else f"{v:.4f}"

    for name, row in result.items():
        if name.startswith("_"):
            continue
        cells = "".join(f"{fmt(row[a]['accuracy']):>9}{fmt(row[a]['accuracy_nonzero']):>8}"
                        f"{row[a]['silent_errors']:>7}" for a in names)
        lines.append(f"{name:26}{row['reports']:>8}{row['cells']:>7}{cells}")
    lines.append("reports/s (cell stage only, one core): " + ", ".join(
        f"{a} {v}" for a, v in result["_speed_reports_per_s"].items()))
    return "\n".join(lines)


def main() -> None:
    import os

    import torch

    torch.set_num_threads(int(os.environ.get("GAZETTE_TORCH_THREADS", "1")))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-type", type=int, default=30)
    ap.add_argument("--mixed", type=int, default=200)
    ap.add_argument("--model", default=None, help="cell tagger directory (default: models/cell_tagger)")
    ap.add_argument("--json", default=None, help="also write the figures here")
    a = ap.parse_args()
    from gazette_nlp.cells.tagger import CellTagger

    result = evaluate(held_out_sets(a.per_type, a.mixed), aligners(CellTagger.load(a.model)))
    print(table(result))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
