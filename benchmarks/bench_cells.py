"""Cell aligners compared: accuracy by synthetic corruption type (held-out seeds), silent errors, reports/s.

Run: python benchmarks/bench_cells.py [--per-type 20] [--mixed 100] [--json runs/bench_cells.json]

Also prints the whole `parse` (every stage, the tagger's cross-check included) in reports/s on one core, on the
bundled samples and generated reports — the target is ≥ 20 reports/s for text input.

Aligners: the cell tagger decoded under the template's constraints (`tag_cells`), the rule-structured
`align_cells`, and the reading-order baseline. Speed is the cell stage alone on one core (the input —
lines, labels, sections — is prepared outside the timing), plus the tagger's share: features, model, decoding.
Definitions: training/eval_cells.py.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]

from gazette_nlp.cells.tagger import CellTagger  # noqa: E402
from training.eval_cells import aligners, evaluate, held_out_sets, prepare, table  # noqa: E402


def tagger_profile(tagger: CellTagger, recs: list[dict]) -> dict[str, float]:
    """Seconds per report in features / model / decoding."""
    from gazette_nlp.cells.tagger_decode import decode_tags

    spent = {"features": 0.0, "model": 0.0, "decode": 0.0}
    for rec in recs:
        report = prepare(rec)
        t0 = time.perf_counter()
        feats = tagger.features(report)
        t1 = time.perf_counter()
        probs = tagger.probabilities(feats)
        t2 = time.perf_counter()
        from gazette_nlp.cells.tagger import Tagging

        decode_tags(Tagging(feats, [], probs))
        t3 = time.perf_counter()
        spent["features"] += t1 - t0
        spent["model"] += t2 - t1
        spent["decode"] += t3 - t2
    return {k: round(v / len(recs) * 1000, 1) for k, v in spent.items()}


def whole_parse_speed(recs: list[dict], rounds: int = 3) -> dict[str, float]:
    """reports/s of `Pipeline()` (all default stages) and of the same without the tagger's cross-check, on the
    samples and `recs` (texts), one core; models loaded before the timing."""
    from gazette_nlp.pipeline import Pipeline
    from gazette_nlp.readers.text import read_text

    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples").glob("*.txt"))]
    texts += [r["text"] for r in recs]
    out = {}
    for name, pipe in (("parse", Pipeline()), ("parse_without_cross_check", Pipeline(skip=["cross_check_cells"]))):
        pipe(read_text(texts[0]))  # warm: models loaded, caches filled
        t0 = time.perf_counter()
        for _ in range(rounds):
            for t in texts:
                pipe(read_text(t))
        out[name] = round(rounds * len(texts) / (time.perf_counter() - t0), 1)
    return out


def main() -> None:
    import torch

    torch.set_num_threads(1)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-type", type=int, default=20)
    ap.add_argument("--mixed", type=int, default=100)
    ap.add_argument("--model", default=None)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    tagger = CellTagger.load(a.model)
    sets = held_out_sets(a.per_type, a.mixed)
    result = evaluate(sets, aligners(tagger))
    print(table(result))
    prof = tagger_profile(tagger, sets["mixed"][:30])
    print("tagger ms/report: " + ", ".join(f"{k} {v}" for k, v in prof.items()))
    result["_tagger_ms_per_report"] = prof
    speed = whole_parse_speed(sets["mixed"][:45])
    print("whole parse, reports/s on one core (5 samples + 45 generated, 3 rounds): "
          + ", ".join(f"{k} {v}" for k, v in speed.items()))
    result["_whole_parse_reports_per_s"] = speed
    if a.json:
        Path(a.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
