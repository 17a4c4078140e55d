"""Batch throughput: generated reports parsed with 1 and 2 worker processes, and peak RSS as the corpus grows.

Run: python benchmarks/bench_batch.py [N]   (default N = 2000; targets: 2-worker ratio ≥ 1.8, RSS growth ≤ 10 %)
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

from training.synth import generate_corpus  # noqa: E402


def run(paths_file: Path, out: Path, workers: int, *extra: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB of the largest process this benchmark has waited for so far)."""
    t0 = time.perf_counter()
    with paths_file.open() as stdin:
        subprocess.run([sys.executable, "-m", "gazette_nlp", "parse", "-", "--out", str(out), "-q",
                        "--workers", str(workers), *extra], cwd=REPO, stdin=stdin, check=False)
    dt = time.perf_counter() - t0
    return dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        paths = []
        for rec in generate_corpus(n, seed=20_000_000):
            p = d / rec["source"]
            p.write_text(rec["text"], encoding="utf-8")
            paths.append(str(p))
        small, full = d / "small.txt", d / "full.txt"
        small.write_text("\n".join(paths[: n // 4]) + "\n")
        full.write_text("\n".join(paths) + "\n")
        t_small, rss_small = run(small, d / "s.jsonl", 1)
        t1, rss_full = run(full, d / "w1.jsonl", 1)
        t2, _ = run(full, d / "w2.jsonl", 2)
        td, _ = run(full, d / "dask.jsonl", 2, "--engine", "dask")
        ref = [json.loads(l) for l in open(d / "w1.jsonl")]
        same = ref == [json.loads(l) for l in open(d / "w2.jsonl")] == [json.loads(l) for l in open(d / "dask.jsonl")]
        print(f"{n} reports (process start and model loading included), 1 worker: {n / t1:.1f} reports/s; "
              f"2 workers: {n / t2:.1f} reports/s (ratio {t1 / t2:.2f}); Dask LocalCluster of 2 workers: "
              f"{n / td:.1f} reports/s; identical records in all three: {same}")
        print(f"peak RSS: {rss_small:.0f} MB at {n // 4} reports, {rss_full:.0f} MB at {n} reports "
              f"(growth {100 * (rss_full / rss_small - 1):+.1f} %)")


if __name__ == "__main__":
    main()
