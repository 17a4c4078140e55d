"""Theme classifier throughput on one CPU core: paragraphs/s (and load time).

    python benchmarks/bench_themes.py [--model models/theme_classifier] [--n 5000]

Paragraphs: the narrative paragraphs of the bundled samples (lines with the gold labels when ../shared/gold is
beside the checkout, else every prose-looking line), repeated to --n. The process is pinned to one core and
BLAS/torch threads are limited to one before anything is imported.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def sample_paragraphs() -> list[str]:
    from gazette_nlp.readers.text import read_path
    from gazette_nlp.themes.paragraphs import assemble_paragraphs

    gold_dir = REPO.parent / "shared" / "gold"
    texts: list[str] = []
    for f in sorted((REPO / "samples").glob("*.txt")):
        report = read_path(f)
        gold = gold_dir / f"{f.stem}.json"
        if gold.is_file():
            for ln in json.loads(gold.read_text(encoding="utf-8"))["lines"]:
                report.line(ln["n"]).label = ln["label"]
        else:  # prose-looking lines: long enough and mostly Chinese
            for ln in report.lines:
                han = len(re.findall(r"[\u4e00-\u9fff]", ln.norm))
                ln.label = "narrative" if han >= 25 and han / max(1, len(ln.norm)) > 0.6 else "other"
        texts += [p.text for p in assemble_paragraphs(report).paragraphs if p.text]
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="model folder (default: the shipped models/theme_classifier)")
    ap.add_argument("--n", type=int, default=5000, help="paragraphs to classify")
    ap.add_argument("--batch-size", type=int, default=256)
    a = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    t0 = time.perf_counter()
    from gazette_nlp.paths import model_path
    from gazette_nlp.themes.classifier import ThemeClassifier

    clf = ThemeClassifier.load(a.model or model_path("theme_classifier"))
    load_s = time.perf_counter() - t0

    base = sample_paragraphs()
    texts = (base * (a.n // max(1, len(base)) + 1))[: a.n]
    clf.predict(texts[:50])  # warm-up
    t0 = time.perf_counter()
    clf.predict_proba(texts, batch_size=a.batch_size)
    dt = time.perf_counter() - t0
    chars = sum(map(len, texts)) / len(texts)
    print(json.dumps({"paragraphs": len(texts), "mean_chars": round(chars, 1), "seconds": round(dt, 3),
                      "paragraphs_per_s": round(len(texts) / dt, 1),
                      "chars_per_s": round(len(texts) * chars / dt), "load_seconds": round(load_s, 2),
                      "cores": 1}, ensure_ascii=False))


if __name__ == "__main__":
    main()
