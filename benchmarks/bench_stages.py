"""Throughput of the synthetic generator and of the cell stage (one core).

Targets: generator ≥ 200 reports/s; cell stage ≤ 20 ms per report.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]

from gazette_nlp.cells import align_cells  # noqa: E402
from gazette_nlp.readers.text import report_from_text  # noqa: E402
from gazette_nlp.sections import segment_sections  # noqa: E402
from training.synth import generate_corpus  # noqa: E402


def main() -> None:
    t0 = time.perf_counter()
    records = list(generate_corpus(500, seed=9000))
    dt = time.perf_counter() - t0
    print(f"synthetic generator: {len(records) / dt:,.0f} reports/s (target ≥ 200)")
    reports = [segment_sections(report_from_text(r["text"], r["source"])) for r in records[:200]]
    reports += [segment_sections(report_from_text(p.read_text(encoding="utf-8"), p.name))
                for p in sorted((REPO / "samples").glob("*.txt"))]
    align_cells(reports[0])
    t0 = time.perf_counter()
    for r in reports:
        align_cells(r)
    per = (time.perf_counter() - t0) / len(reports)
    print(f"cell stage: {per * 1000:.1f} ms per report over {len(reports)} reports (target ≤ 20 ms)")


if __name__ == "__main__":
    main()
