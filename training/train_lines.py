"""Train the line classifier: `python -m training.train_lines` or `gazette-nlp train lines`.

Data: annotated reports (../shared/gold and training/annotations/pool by default, or --data) plus synthetic
reports from the generator. Metrics: macro-F1 on held-out synthetic reports (seeds never used in training); with
--loo, leave-one-report-out on each shared report; with --cv K, every annotated real report held out once (K folds
by report), its lines labelled by a model trained without it, scored together as ../shared/tools/score.py does
(pooled macro-F1 and per-label F1).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from sklearn.metrics import f1_score

from gazette_nlp.lines import LineClassifier
from gazette_nlp.model import Report
from gazette_nlp.paths import model_path
from gazette_nlp.readers.text import report_from_text
from training.data import annotated_records, synthetic_records, to_report

HELD_OUT_SEED = 10_000_000  # synthetic evaluation seeds start here; training seeds stay below


def macro_f1(clf: LineClassifier, gold: Report) -> tuple[float, list[tuple[int, str, str, str]]]:
    fresh = report_from_text("\n".join(ln.text for ln in gold.lines), source=gold.source)
    pred = {n: lab for n, lab, _ in clf.predict(fresh)}
    pairs = [(ln.label, pred.get(ln.n, "none")) for ln in gold.lines if ln.label]
    errors = [(ln.n, ln.label, pred.get(ln.n, "none"), ln.text[:40]) for ln in gold.lines
              if ln.label and ln.label != pred.get(ln.n)]
    labels = sorted({g for g, _ in pairs})
    return float(f1_score([g for g, _ in pairs], [p for _, p in pairs], labels=labels, average="macro")), errors


def _predict_pairs(clf: LineClassifier, gold: Report) -> list[tuple[str, str, int, str]]:
    """(gold, predicted, line number, text) for every labelled line."""
    fresh = report_from_text("\n".join(ln.text for ln in gold.lines), source=gold.source)
    pred = {n: lab for n, lab, _ in clf.predict(fresh)}
    return [(ln.label, pred.get(ln.n, "none"), ln.n, ln.text) for ln in gold.lines if ln.label]


def cross_validate(annotated: list[dict[str, Any]], synth: list[Report], folds: int, seed: int = 0,
                   errors_out: str | None = None) -> dict[str, Any]:
    """Every annotated report held out once (`folds` folds by report); pooled macro-F1 and per-label F1.
    `errors_out`: a JSONL file of every wrongly labelled line (report, n, gold, predicted, text) to read."""
    import random

    ids = sorted(r["id"] for r in annotated)
    random.Random(seed).shuffle(ids)
    pairs: list[tuple[str, str]] = []
    errors: list[dict[str, Any]] = []
    for f in range(folds):
        held = set(ids[f::folds])
        clf = LineClassifier().fit([to_report(r) for r in annotated if r["id"] not in held] + synth)
        for r in annotated:
            if r["id"] in held:
                for g, p, n, text in _predict_pairs(clf, to_report(r)):
                    pairs.append((g, p))
                    if g != p:
                        errors.append({"report": r["id"], "n": n, "gold": g, "pred": p, "text": text})
    if errors_out:
        Path(errors_out).write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors), encoding="utf-8")
    labels = sorted({g for g, _ in pairs})
    per = f1_score([g for g, _ in pairs], [p for _, p in pairs], labels=labels, average=None)
    return {"reports": len(ids), "lines": len(pairs), "folds": folds,
            "macro_f1": round(float(per.mean()), 4), "per_label_f1": {l: round(float(v), 4) for l, v in zip(labels, per)},
            "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4)}


def train_lines(data: list[str] | None = None, synthetic: int | None = None, seed: int = 0,
                out_dir: str | None = None, exclude: set[str] | None = None, loo: bool = False,
                held_out: int = 100, cv: int = 0, errors_out: str | None = None) -> dict[str, Any]:
    t0 = time.time()
    synthetic = 400 if synthetic is None else synthetic
    annotated = [r for r in annotated_records(data) if r["id"] not in (exclude or set())]
    synth = list(synthetic_records(synthetic, seed=seed)) if synthetic else []
    reports = [to_report(r) for r in annotated + synth]
    clf = LineClassifier().fit(reports)
    metrics: dict[str, Any] = {"train_reports": {"annotated": len(annotated), "synthetic": len(synth)}}
    if held_out:
        scores = [macro_f1(clf, to_report(r))[0] for r in synthetic_records(held_out, seed=HELD_OUT_SEED)]
        metrics["synthetic_held_out_macro_f1"] = round(sum(scores) / len(scores), 4)
    if loo:
        per: dict[str, float] = {}
        for rec in annotated:
            if not rec.get("source", "").startswith(tuple("0123456789")):
                continue  # leave-one-out on the shared real reports; pool excerpts stay in every fold
            others = [to_report(r) for r in annotated if r["id"] != rec["id"]]
            fold = LineClassifier().fit(others + [to_report(r) for r in synth])
            per[rec["id"]] = round(macro_f1(fold, to_report(rec))[0], 4)
        metrics["leave_one_out_macro_f1"] = per
    if cv:
        metrics["real_cv"] = cross_validate(annotated, [to_report(r) for r in synth], cv, seed, errors_out)
    metrics["train_seconds"] = round(time.time() - t0, 1)
    out = Path(out_dir) if out_dir else model_path("line_classifier")
    card = {
        "component": "line_classifier",
        "model": "scikit-learn LogisticRegression, two passes (hashed char 1-3-grams + layout features of the "
                 "line and its neighbours; then neighbours' first-pass probabilities)",
        "labels": list(clf.labels),
        "data": {"annotated": sorted(r["id"] for r in annotated), "synthetic": f"{len(synth)} reports, seed {seed}"},
        "metrics": metrics,
        "date": dt.date.today().isoformat(),
        "command": f"python -m training.train_lines --synthetic {synthetic} --seed {seed}" + (" --loo" if loo else "")
                   + (f" --cv {cv}" if cv else "") + (f" --data {' '.join(data)}" if data else ""),
    }
    clf.save(out, card=card)
    return metrics


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="*")
    ap.add_argument("--synthetic", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out")
    ap.add_argument("--exclude", nargs="*")
    ap.add_argument("--loo", action="store_true", help="also report leave-one-report-out macro-F1")
    ap.add_argument("--cv", type=int, default=0, help="also hold every annotated report out once, K folds by report")
    ap.add_argument("--errors", help="with --cv: write every wrongly labelled real line to this JSONL file")
    a = ap.parse_args()
    print(json.dumps(train_lines(a.data, a.synthetic, a.seed, a.out, set(a.exclude or ()), a.loo, cv=a.cv,
                                 errors_out=a.errors),
                     indent=2))


if __name__ == "__main__":
    main()
