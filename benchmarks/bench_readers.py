"""Readers benchmark: accuracy of each input route on the shared reports, and reader speed.

    python tests/fixtures/make_fixtures.py --all --out /tmp/fx     # render every shared report (needs the font)
    OMP_NUM_THREADS=1 python benchmarks/bench_readers.py /tmp/fx [--routes pdf,html,scan] [--scan-levels light default heavy]

Per route (PDF text layer, HTML, scanned PDF through OCR) every report goes through `gazette_nlp.parse`:
- cell accuracy as ../shared/tools/score.py counts it (gold cell id → value; absent counts wrong);
- scans: every wrong cell must be flagged: cell confidence < 0.9, an issue naming the cell, or (until the cells
  stage folds it in) an `ocr_confidence` < 0.9 on the line it was read from;
- line macro-F1: a route's lines are numbered differently from the .txt the gold labels, so each route line
  gets the gold label of the gold line whose squashed text (no whitespace, `textnorm.squash`) equals it, else
  contains it (a PDF wraps one text line into several), else is contained in it; lines matching no gold line
  (page numbers, web-page footers, text the gold leaves unlabelled) are left out of the score.
Speed: the PDF text reader in pages/s (pure Python, one thread); OCR in s/page with GAZETTE_OCR_THREADS threads.
Wall time and CPU time are both printed: on a machine shared with other jobs the CPU time is the fair figure.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "gold"

from gazette_nlp.evaluate import per_label_f1  # noqa: E402
LABELS = ("heading", "table_row", "narrative", "other")
ROUTES = {"pdf": "{id}.pdf", "html": "{id}.html", "scan": "{id}.scan.pdf"}


def gold_label_for(text: str, gold_lines: list[tuple[str, str]]) -> str | None:
    from gazette_nlp.textnorm import squash

    s = squash(text)
    if len(s) < 2:
        return None
    for how in ("eq", "in", "has"):
        for g, label in gold_lines:
            if (how == "eq" and g == s) or (how == "in" and s in g) or (how == "has" and len(g) >= 4 and g in s):
                return label
    return None


def score_route(reports: dict[str, dict], gold_dir: Path) -> dict:
    from gazette_nlp.textnorm import squash

    total = ok = unflagged = 0
    conf: Counter = Counter()
    wrong = []
    for gpath in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        rep = reports.get(gpath.stem)
        if rep is None:
            continue
        out, lines_by_n = rep["json"], rep["lines"]
        flagged_ids = {c for i in out["issues"] for c in i.get("cells", [])}
        for cid, gv in gold["cells"].items():
            total += 1
            c = out["cells"].get(cid)
            if c is not None and (c["value"] == gv or (c["value"] is not None and gv is not None
                                                       and abs(float(c["value"]) - float(gv)) < 1e-6)):
                ok += 1
                continue
            line_conf = lines_by_n.get(c["line"]) if c else None
            flagged = c is None or c["confidence"] < 0.9 or cid in flagged_ids or (line_conf is not None
                                                                                  and line_conf < 0.9)
            unflagged += not flagged
            wrong.append((gpath.stem, cid, gv, c and c["value"], "flagged" if flagged else "UNFLAGGED"))
        gold_lines = [(squash(g["text"]), g["label"]) for g in gold["lines"]]
        for ln in out["lines"]:
            g = gold_label_for(ln["text"], gold_lines)
            if g is not None:
                conf[(g, ln["label"])] += 1
    per = per_label_f1(conf, LABELS)
    return {"cells": total, "cell_accuracy": round(ok / total, 4) if total else None, "wrong": len(wrong),
            "wrong_unflagged": unflagged, "line_macro_f1": round(sum(per.values()) / len(per), 4) if per else None,
            "line_f1": per, "lines_scored": sum(conf.values()), "wrong_cells": wrong[:20]}


def run_route(route: str, fixtures: Path, ids: list[str]) -> tuple[dict, dict]:
    from gazette_nlp.pipeline import default_pipeline
    from gazette_nlp.readers.route import read_any

    reports, pages, read_s, cpu_s = {}, 0, 0.0, 0.0
    pipe = default_pipeline()
    first = next((fixtures / ROUTES[route].format(id=rid) for rid in ids
                  if (fixtures / ROUTES[route].format(id=rid)).exists()), None)
    if first is not None:
        read_any(first)  # warm-up, untimed: imports and model loading are paid once per process
    for rid in ids:
        path = fixtures / ROUTES[route].format(id=rid)
        if not path.exists():
            continue
        t, c = time.perf_counter(), time.process_time()
        report = read_any(path)
        read_s += time.perf_counter() - t
        cpu_s += time.process_time() - c
        pages += report.meta.get("pages", 1)
        input_kind = report.meta.get("input")
        report = pipe(report)
        reports[rid] = {"json": report.to_json(), "input": input_kind,
                        "lines": {ln.n: ln.ocr_confidence for ln in report.lines}}
    return reports, {"pages": pages, "read_s": round(read_s, 2), "cpu_s": round(cpu_s, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fixtures", type=Path, help="directory written by make_fixtures.py --all")
    ap.add_argument("--routes", default="pdf,html,scan")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--scan-levels", nargs="*", default=[],
                    help="also scan the office PDFs of tests/fixtures/office at these levels (light default heavy: "
                         "training/scans/degrade.py) and print cells and s/page per level")
    args = ap.parse_args()
    if args.scan_levels:
        from training.scans.eval_scans import run as run_scans

        res = run_scans(REPO / "tests" / "fixtures" / "office", args.scan_levels, [1], None)
        for level, r in res["by_level"].items():
            print(f"[scan:{level}] cells {r['right']}/{r['of']} ({r['accuracy']}), {r['confident_wrong']} wrong at "
                  f"confidence >= 0.9; {r['wall_s_per_page']} s/page wall, {r['cpu_s_per_page']} CPU-s/page "
                  f"({1 / max(1e-9, r['wall_s_per_page']):.2f} pages/s)")
    ids = sorted(p.stem for p in args.gold.glob("*.json"))
    for route in args.routes.split(","):
        reports, speed = run_route(route, args.fixtures, ids)
        res = score_route(reports, args.gold)
        inputs = sorted({r["input"] for r in reports.values()})
        if route == "scan":
            rate = (f"{speed['read_s'] / max(1, speed['pages']):.2f} s/page wall, "
                    f"{speed['cpu_s'] / max(1, speed['pages']):.2f} CPU-s/page (OCR)")
        else:
            rate = (f"{speed['pages'] / max(1e-9, speed['read_s']):.1f} pages/s wall, "
                    f"{speed['pages'] / max(1e-9, speed['cpu_s']):.1f} pages per CPU-second")
        print(f"[{route}] meta.input={inputs} reports={len(reports)} pages={speed['pages']} read={speed['read_s']}s "
              f"→ {rate}")
        print(f"  cell_accuracy={res['cell_accuracy']} ({res['cells']} cells, {res['wrong']} wrong, "
              f"{res['wrong_unflagged']} unflagged)  line_macro_f1={res['line_macro_f1']} {res['line_f1']} "
              f"over {res['lines_scored']} matched lines")
        for w in res["wrong_cells"]:
            print("   ", w)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
