"""`python -m training.synth --n 500 --seed 0 --out runs/synth.jsonl`: write a synthetic corpus as JSONL."""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from .corruptions import CORRUPTIONS
from .generator import generate_corpus


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.synth", description=__doc__)
    ap.add_argument("--n", type=int, default=500, help="number of reports")
    ap.add_argument("--seed", type=int, default=0, help="first seed (report i uses seed+i)")
    ap.add_argument("--out", default="runs/synth.jsonl", help="output JSONL path")
    ap.add_argument("--corruptions", nargs="*", default=None, metavar="NAME",
                    help=f"force exactly these corruption types ({', '.join(CORRUPTIONS)})")
    ap.add_argument("--clean", action="store_true", help="no corruptions (layouts only)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    counts: Counter[str] = Counter()
    t0 = time.perf_counter()
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            corpus = generate_corpus(args.n, seed=args.seed, corruptions=args.corruptions, clean=args.clean)
            for rec in tqdm(corpus, total=args.n, unit="report", file=sys.stderr):
                counts.update(rec["corruptions"])
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except ValueError as e:
        tmp.unlink(missing_ok=True)
        print(f"error: {e}", file=sys.stderr)
        return 2
    tmp.replace(out)
    secs = time.perf_counter() - t0
    print(f"wrote {args.n} reports to {out} in {secs:.1f}s ({args.n / max(secs, 1e-9):.0f}/s)", file=sys.stderr)
    print("corruptions: " + ", ".join(f"{k}={v}" for k, v in counts.most_common()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
