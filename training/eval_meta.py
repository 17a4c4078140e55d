"""Score the metadata reader (issuer, year) on every labelled pool excerpt and every complete real report.

    python -m training.eval_meta            # counts per outcome
    python -m training.eval_meta --misses   # + every issuer/year that is not exact, with where the label says it is

Outcomes per field: `exact`; `form` (issuer only: the same body in another form, e.g. a short name or a traditional
character); `absent` (the reader gives None where the text states a value); `wrong` (a value where the label says
another or none) — the count that must stay 0. Labels: training/annotations/pool_meta/*.jsonl and
../shared/real/index.jsonl (whose issuer adds a gloss in brackets the text does not print; the name before it counts).
"""
from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from gazette_nlp.pipeline import Pipeline
from gazette_nlp.readers.route import read_any
from gazette_nlp.textnorm import to_simplified

from .data import SHARED

POOL_META = Path(__file__).parent / "annotations" / "pool_meta"
STAGES = ("resegment_lines", "classify_lines", "segment_sections", "read_meta")


@dataclass
class Case:
    id: str
    path: Path
    issuer: str | None
    year: int | None
    where: str = ""


@dataclass
class Tally:
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: {"issuer": {}, "year": {}})
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, outcome: str) -> None:
        self.counts[name][outcome] = self.counts[name].get(outcome, 0) + 1


def load_cases() -> list[Case]:
    cases = []
    for part in sorted(POOL_META.glob("*.jsonl")):
        for row in map(json.loads, part.read_text(encoding="utf-8").splitlines()):
            cases.append(Case(row["id"], SHARED / "pool" / "raw" / f"{row['id']}.txt", row["issuer"], row["year"],
                              row.get("where", "")))
    for row in map(json.loads, (SHARED / "real" / "index.jsonl").read_text(encoding="utf-8").splitlines()):
        issuer = re.sub(r"（[^）]*）$", "", row["issuer"])  # '平潭综合实验区（党工委管委会；福建省）': the gloss is not printed
        cases.append(Case("real" + row["id"], SHARED / "real" / row["file"], issuer, row["year"], "index.jsonl"))
    return cases


def _same_body(pred: str, gold: str) -> bool:
    """A short name or another form of the same body: one name inside the other, or equal but for 人民政府 / 政府."""
    short = lambda s: re.sub(r"(?:人民)?政府$", "", s)  # noqa: E731
    return pred in gold or gold in pred or short(pred) == short(gold)


def issuer_outcome(pred: str | None, gold: str | None) -> str:
    gold = to_simplified(gold) if gold else gold  # the reader gives names in simplified characters (紫金縣 → 紫金县)
    if pred == gold:
        return "exact" if gold else "none_ok"
    if pred is None:
        return "absent"
    if gold is not None and _same_body(pred, gold):
        return "form"
    return "wrong"


def year_outcome(pred: int | None, gold: int | None) -> str:
    if pred == gold:
        return "exact" if gold else "none_ok"
    return "absent" if pred is None else "wrong"


def evaluate(cases: list[Case]) -> Tally:
    pipe = Pipeline(STAGES)
    tally = Tally()
    for case in cases:
        meta = pipe(read_any(case.path)).meta
        src = meta.get("meta_sources", {})
        for name, pred, gold, outcome in (
                ("issuer", meta["issuer"], case.issuer, issuer_outcome(meta["issuer"], case.issuer)),
                ("year", meta["year"], case.year, year_outcome(meta["year"], case.year))):
            tally.add(name, outcome)
            tally.add(name, f"{'real' if case.id.startswith('real') else 'pool'}:{outcome}")
            tally.add(name, f"from:{src.get(name, '-').split(' line')[0]}")
            if outcome not in ("exact", "none_ok"):
                tally.misses.append(f"{case.id} {name} {outcome}: got {pred!r} ({src.get(name, '-')}) "
                                    f"label {gold!r} [{case.where}]")
    return tally


def summary(tally: Tally) -> str:
    out = []
    for name, counts in tally.counts.items():
        for part in ("", "pool:", "real:"):
            got = {k[len(part):]: v for k, v in counts.items() if k.startswith(part) and (part or ":" not in k)}
            stated = sum(v for k, v in got.items() if k != "none_ok")
            exact = got.get("exact", 0)
            out.append(f"{name} {part or 'all:'} exact {exact}/{stated} ({exact / max(stated, 1):.3f}) " +
                       " ".join(f"{k} {v}" for k, v in sorted(got.items()) if k != "exact"))
        out.append(f"{name} sources: " + " ".join(f"{k[5:]} {v}" for k, v in sorted(counts.items()) if k.startswith("from:")))
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--misses", action="store_true", help="print every case that is not exact")
    ap.add_argument("--only", default="", help="comma-separated ids (P001,real002) to run")
    args = ap.parse_args()
    cases = load_cases()
    if args.only:
        keep = set(args.only.split(","))
        cases = [c for c in cases if c.id in keep]
    tally = evaluate(cases)
    if args.misses:
        print("\n".join(tally.misses))
    print(summary(tally))


if __name__ == "__main__":
    main()
