"""Speed of the whole parse (issue 16): start-up, ms per stage, reports/s, the ratio to jieba, 2 workers vs 1.

Run: python benchmarks/bench_speed.py [--reports N] [--json OUT]
Targets: start-up ≤ 2 s; ≥ 40 reports/s in process on one core; ≤ 2× jieba's time on the same texts;
2 workers ≥ 1.8× one worker on 200 reports, start-up included. Everything is printed as measured in this run:
compare the ratios, not the absolute seconds of another machine or another load.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "samples").glob("*.txt"))


STARTUP_PROBE = """
import sys, time
t0 = time.perf_counter()
from gazette_nlp.cli import main
code = main(["parse", sys.argv[1], "--out", sys.argv[2], "-q"])
print(time.perf_counter() - t0, int("gazette_nlp.facts.spancat_arrays" in sys.modules), int("spacy" in sys.modules))
"""


def startup(runs: int = 3) -> dict[str, dict[str, float]]:
    """Per sample: median wall seconds of `gazette-nlp parse one.txt` to its record, a fresh process each time,
    whether the facts' span tagger was loaded (only for an uncertain fact) and whether spaCy was imported."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for sample in SAMPLES:
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                res = subprocess.run([sys.executable, "-c", STARTUP_PROBE, str(sample), str(Path(tmp) / "o.jsonl")],
                                     cwd=REPO, check=True, capture_output=True, text=True)
                times.append(time.perf_counter() - t0)
            span, spacy = (bool(int(x)) for x in res.stdout.split()[-2:])
            out[sample.name] = {"wall_s": statistics.median(times), "span_tagger": span, "spacy": spacy}
    return out


def corpus(n: int) -> list[tuple[str, str]]:
    """The five samples and n - 5 generated reports: (name, text)."""
    from training.synth import generate_corpus

    texts = [(p.name, p.read_text(encoding="utf-8")) for p in SAMPLES]
    texts += [(r["source"], r["text"]) for r in generate_corpus(max(0, n - len(texts)), seed=16_000)]
    return texts


def in_process(texts: list[tuple[str, str]]) -> tuple[dict[str, float], float, float]:
    """(ms per report by stage, reports/s of the whole parse, seconds to load the pipeline and parse the five
    samples once — every lazily loaded model included), one thread."""
    from gazette_nlp.batch import use_one_thread
    from gazette_nlp.pipeline import Pipeline, check_is_report
    from gazette_nlp.readers.text import read_text
    from gazette_nlp.resegment import restore_printed_lines

    use_one_thread()
    t0 = time.perf_counter()
    pipe = Pipeline()
    # warm: models, dictionaries and caches load on first use (the facts' span tagger only for an uncertain
    # fact, which some of the five samples have), so that the stage times below are the steady state
    for name, text in texts[:5]:
        pipe(read_text(text, name))
    load = time.perf_counter() - t0
    per = {"read": 0.0, **{name: 0.0 for name in pipe.names}}
    t_all = time.perf_counter()
    for name, text in texts:
        t = time.perf_counter()
        report = read_text(text, name)
        per["read"] += time.perf_counter() - t
        check_is_report(report)
        for stage_name, stage in pipe.stages:
            t = time.perf_counter()
            report = stage(report)
            per[stage_name] += time.perf_counter() - t
        restore_printed_lines(report)
    total = time.perf_counter() - t_all
    return {k: 1000 * v / len(texts) for k, v in per.items()}, len(texts) / total, load


def jieba_seconds(texts: list[tuple[str, str]]) -> float:
    import jieba

    jieba.initialize()
    t0 = time.perf_counter()
    for _, text in texts:
        for _ in jieba.cut(text):
            pass
    return time.perf_counter() - t0


def workers_speedup(texts: list[tuple[str, str]]) -> tuple[float, float, bool]:
    """(1-worker s, 2-worker s, identical records) for the CLI on these texts, start-up included."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name, text in texts:
            (d / name).write_text(text, encoding="utf-8")
        out = {}
        for w in (1, 2):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "gazette_nlp", "parse", str(d), "--out", str(d / f"w{w}.jsonl"),
                            "-q", "--workers", str(w)], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
            out[w] = time.perf_counter() - t0
        same = (d / "w1.jsonl").read_text(encoding="utf-8") == (d / "w2.jsonl").read_text(encoding="utf-8")
        return out[1], out[2], same


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=200, help="reports in process and for the worker run")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    texts = corpus(args.reports)
    starts = startup()
    walls = sorted(v["wall_s"] for v in starts.values())
    figures: dict = {"startup": starts, "startup_s": statistics.median(walls)}
    print(f"start-up: `gazette-nlp parse one.txt`, median of 3 per sample: {walls[0]:.2f}–{walls[-1]:.2f} s wall, "
          f"median {figures['startup_s']:.2f} s (target ≤ 2 s)")
    for name, v in starts.items():
        notes = [n for n, on in (("span tagger loaded for an uncertain fact", v["span_tagger"]),
                                 ("spaCy imported", v["spacy"])) if on]
        print(f"  {name:<28} {v['wall_s']:.2f} s{'  (' + '; '.join(notes) + ')' if notes else ''}")
    stages, rate, load = in_process(texts)
    jb = jieba_seconds(texts)
    parse_s = len(texts) / rate
    figures.update(load_s=load, stages_ms=stages, reports_per_s=rate, jieba_reports_per_s=len(texts) / jb,
                   ratio_to_jieba=parse_s / jb)
    print(f"models loaded in process, with a first parse of the five samples (lazy loads): {load:.2f} s")
    for name, ms in stages.items():
        print(f"  {name:<20} {ms:7.2f} ms/report")
    print(f"whole parse in process, one thread: {rate:.1f} reports/s over {len(texts)} reports (target ≥ 40)")
    print(f"jieba segmenting the same texts: {len(texts) / jb:.1f} reports/s; parse / jieba time "
          f"{parse_s / jb:.2f}× (target ≤ 2)")
    t1, t2, same = workers_speedup(texts)
    figures.update(one_worker_s=t1, two_workers_s=t2, speedup=t1 / t2, identical=same)
    print(f"{len(texts)} reports through the CLI, start-up included: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s, "
          f"speed-up {t1 / t2:.2f} (target ≥ 1.8); identical records: {same}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
