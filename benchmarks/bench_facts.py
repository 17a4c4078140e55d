"""Speed of the fact stage: narrative paragraphs/s of `extract_facts` alone, and the whole parse with and without
it, in one process over the same inputs (the 8 real reports, the 5 shared ones and the 98 pool excerpts).

    python benchmarks/bench_facts.py [--rounds 3]

Target: the parse with the fact stage within 10 % of the parse without it.
"""
from __future__ import annotations

import argparse
import copy
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]

from gazette_nlp.facts import extract_facts, load_tagger  # noqa: E402
from gazette_nlp.pipeline import DEFAULT_STAGES, Pipeline  # noqa: E402


def inputs() -> list[Path]:
    shared = REPO / "tests" / "fixtures" / "shared"
    return sorted([*(shared / "real").glob("*.*"), *(shared / "reports").glob("*.txt"),
                   *(shared / "pool" / "raw").glob("*.txt")])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    paths = [p for p in inputs() if p.suffix in (".txt", ".html")]
    without = Pipeline([s for s in DEFAULT_STAGES if s != "extract_facts"])
    with_facts = Pipeline([*without.names, "extract_facts"])
    load_tagger()
    for p in paths[:3]:  # warm both
        without.parse(p), with_facts.parse(p)
    best = {"without": float("inf"), "with": float("inf")}
    for _ in range(args.rounds):  # interleaved, best of N: the machine is shared
        for name, pipe in (("without", without), ("with", with_facts)):
            t0 = time.perf_counter()
            for p in paths:
                pipe.parse(p)
            best[name] = min(best[name], time.perf_counter() - t0)
    reports = [without.parse(p) for p in paths]
    n_par = sum(len(r.paragraphs) for r in reports)
    t0 = time.perf_counter()
    for r in reports:
        extract_facts(copy.copy(r))
    stage = time.perf_counter() - t0
    print(f"{len(paths)} files; parse without facts {best['without']:.2f} s, with {best['with']:.2f} s "
          f"({100 * (best['with'] / best['without'] - 1):+.1f} %, target within 10 %)")
    print(f"fact stage alone: {n_par} paragraphs in {stage:.3f} s = {n_par / stage:,.0f} paragraphs/s")


if __name__ == "__main__":
    main()
