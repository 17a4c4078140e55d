"""Line classifier throughput on one core, and the whole parse of the bundled samples.

Run: python benchmarks/bench_lines.py   (prints figures; targets: ≥ 10,000 lines/s, samples in reports/s)
"""
from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]

from gazette_nlp.lines.classifier import classify_lines  # noqa: E402
from gazette_nlp.pipeline import Pipeline  # noqa: E402
from gazette_nlp.readers.text import read_path  # noqa: E402


def main() -> None:
    samples = sorted((REPO / "samples").glob("*.txt"))
    reports = [read_path(p) for p in samples]
    classify_lines(reports[0])  # load the model outside the timing
    rounds, lines, t0 = 20, 0, time.perf_counter()
    for _ in range(rounds):
        for p in samples:
            r = read_path(p)
            classify_lines(r)
            lines += sum(1 for ln in r.lines if not ln.blank)
    dt = time.perf_counter() - t0
    print(f"line classifier: {lines / dt:,.0f} lines/s on one core ({lines} lines in {dt:.2f} s; target ≥ 10,000)")
    pipe = Pipeline()
    pipe.parse(samples[0])
    t0 = time.perf_counter()
    for _ in range(rounds):
        for p in samples:
            pipe.parse(p)
    dt = time.perf_counter() - t0
    n = rounds * len(samples)
    print(f"whole parse of the {len(samples)} samples: {n / dt:,.1f} reports/s on one core ({n} parses in {dt:.2f} s)")


if __name__ == "__main__":
    main()
