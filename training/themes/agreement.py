"""Agreement of two theme annotations of the same paragraphs: the ceiling a model's micro-F1 can be held to.

`python -m training.themes.agreement [--second FILE] [--errors real_cv_errors.jsonl]`

The first annotation is the training labels (gold, pool, real); the second a blind relabelling of a sample of
them (training/annotations/agreement/themes_annotator2.jsonl). With `--errors` (what `train_themes --errors`
writes), the held-out model predictions of the same paragraphs are scored against each annotator too.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from gazette_nlp.themes.metrics import theme_scores
from training.themes.data import REPO_ROOT, default_sources, load_examples

SECOND = REPO_ROOT / "training" / "annotations" / "agreement" / "themes_annotator2.jsonl"


def _key(r: dict[str, Any]) -> tuple[str, Any, str]:
    return r["report"], r["n"], r["text"]


def agreement(second: Path = SECOND, errors: Path | None = None) -> dict[str, Any]:
    first = {_key(e): e for e in load_examples([str(p) for p in default_sources()], synthetic=0, weak=False)
             if e["origin"] in ("gold", "pool", "real")}
    wrong = {_key(e): e["pred"] for e in map(json.loads, errors.open(encoding="utf-8"))} if errors else {}
    rows = []
    for r in map(json.loads, second.open(encoding="utf-8")):
        e = first.get(_key(r))
        if e is None:
            raise ValueError(f"{second}: {r['report']}:{r['n']} is not a labelled paragraph")
        rows.append((e["origin"], e["themes"], r["themes"], wrong.get(_key(r), e["themes"])))
    out: dict[str, Any] = {}
    for name, keep in (("all", lambda o: True), ("real", lambda o: o == "real"), ("pool", lambda o: o == "pool")):
        sel = [x for x in rows if keep(x[0])]
        if not sel:
            continue
        a12 = theme_scores([x[1] for x in sel], [x[2] for x in sel])
        out[name] = {"paragraphs": len(sel), "annotators_micro_f1": a12["micro_f1"],
                     "per_theme_f1": {t: d["f1"] for t, d in a12["per_theme"].items()}}
        if errors:
            out[name]["model_vs_first"] = theme_scores([x[1] for x in sel], [x[3] for x in sel])["micro_f1"]
            out[name]["model_vs_second"] = theme_scores([x[2] for x in sel], [x[3] for x in sel])["micro_f1"]
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--second", type=Path, default=SECOND)
    ap.add_argument("--errors", type=Path, help="train_themes --errors output (held-out predictions)")
    args = ap.parse_args(argv)
    print(json.dumps(agreement(args.second, args.errors), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
