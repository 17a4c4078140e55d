"""Cell accuracy of the scan route by degradation level, on office-suite PDFs scanned by `degrade.py`.

    python -m training.scans.eval_scans tests/fixtures/office --levels light default heavy --seeds 1 [--out DIR]

For every `NAME.pdf` with its `NAME.json` (the cells the PDF prints, see tests/fixtures/office/README.md), each level
and seed: the PDF is scanned, the scan (an image-only PDF) parsed by `gazette_nlp.parse`, and its cells scored as
../shared/tools/score.py counts them (a gold cell absent from the record is wrong). Also: wrong cells at confidence
>= 0.9 (the ones a user would trust), cells read with origin `inferred`, and seconds per page (CPU and wall; the whole parse, OCR included).
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from training.scans.degrade import LEVELS, degrade_pdf


def score_cells(rec_cells: dict, gold: dict) -> dict:
    from gazette_nlp.cells.numbers import same_value

    right = wrong = absent = confident_wrong = inferred = 0
    misses = []
    for cid, want in gold.items():
        got = rec_cells.get(cid)
        if got is None:
            absent += 1
            misses.append((cid, want, None, None))
            continue
        if same_value(got.value, want):
            right += 1
            inferred += got.origin == "inferred"
        else:
            wrong += 1
            confident_wrong += got.confidence >= 0.9
            misses.append((cid, want, got.value, got.confidence))
    return {"right": right, "of": len(gold), "wrong": wrong, "absent": absent, "confident_wrong": confident_wrong,
            "inferred_right": inferred, "misses": misses}


def run(fixtures: Path, levels: list[str], seeds: list[int], out: Path | None) -> dict:
    import gazette_nlp

    pipe = gazette_nlp.Pipeline()
    totals: dict = defaultdict(lambda: defaultdict(float))
    rows = []
    for pdf in sorted(fixtures.glob("*.pdf")):
        gold = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))["cells"]
        for level in levels:
            for seed in seeds:
                scan = degrade_pdf(pdf.read_bytes(), level, seed)
                path = (out or Path("/tmp")) / f"{pdf.stem}.{level}.{seed}.scan.pdf"
                path.write_bytes(scan.to_pdf())
                t0, w0 = time.process_time(), time.perf_counter()
                rep = pipe.parse(str(path))
                cpu, wall = time.process_time() - t0, time.perf_counter() - w0
                s = score_cells(rep.cells, gold)
                rows.append({"pdf": pdf.name, "level": level, "seed": seed, "cpu_s_page": cpu / len(scan.pages),
                             **{k: v for k, v in s.items() if k != "misses"}, "misses": s["misses"][:12]})
                t = totals[level]
                for k in ("right", "of", "wrong", "absent", "confident_wrong", "inferred_right"):
                    t[k] += s[k]
                t["pages"] += len(scan.pages)
                t["cpu"] += cpu
                t["wall"] += wall
                print(f"{pdf.stem:34s} {level:8s} seed {seed}: {s['right']}/{s['of']} wrong {s['wrong']} "
                      f"(confident {s['confident_wrong']}) absent {s['absent']}  {cpu / len(scan.pages):.1f} s/page",
                      flush=True)
                for m in s["misses"][:8]:
                    print("    ", m)
    summary = {lv: {"accuracy": round(t["right"] / t["of"], 4), "right": int(t["right"]), "of": int(t["of"]),
                    "confident_wrong": int(t["confident_wrong"]), "inferred_right": int(t["inferred_right"]),
                    "cpu_s_per_page": round(t["cpu"] / t["pages"], 2),
                    "wall_s_per_page": round(t["wall"] / t["pages"], 2)} for lv, t in totals.items()}
    return {"by_level": summary, "runs": rows}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("fixtures", type=Path)
    ap.add_argument("--levels", nargs="+", default=["default"], choices=sorted(LEVELS))
    ap.add_argument("--seeds", nargs="+", type=int, default=[1])
    ap.add_argument("--out", type=Path, help="keep the scans here")
    ap.add_argument("--json", type=Path, help="write the figures here")
    a = ap.parse_args(argv)
    if a.out:
        a.out.mkdir(parents=True, exist_ok=True)
    res = run(a.fixtures, a.levels, a.seeds, a.out)
    print(json.dumps(res["by_level"], indent=1))
    if a.json:
        a.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
