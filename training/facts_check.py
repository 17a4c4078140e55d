"""Validate the hand-labelled narrative facts in training/annotations/facts/ (../shared/spec/facts.md).

For every file: the cell ids exist in ../shared/spec/cell_ids.tsv, each fact's line holds its text as the
readers number it, the value is printed in that text, facts come in reading order, and the stored `agrees`
equals the one computed from the annotated cells (`cells_from`). `--write` stores the computed `agrees`
instead of checking it (run after labelling; the labels themselves are never generated).

    python -m training.facts_check            # exit 1 on any problem
    python -m training.facts_check --write    # fill in agrees
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from gazette_nlp.facts.link import agrees
from gazette_nlp.paths import REPO_ROOT
from gazette_nlp.readers.route import read_any

SHARED = REPO_ROOT.parent / "shared"
FACTS_DIR = REPO_ROOT / "training" / "annotations" / "facts"
FACT_KEYS = {"line", "text", "value", "cells", "agrees", "approx", "note", "alternatives"}


@dataclass
class Problems:
    items: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def cell_ids() -> set[str]:
    lines = (SHARED / "spec" / "cell_ids.tsv").read_text(encoding="utf-8").splitlines()
    return {ln.split("\t")[0] for ln in lines if ln.strip() and not ln.startswith("#")}


# the project's copies of what it reads of ../shared, in the same layout (for a checkout without ../shared)
SHARED_COPY = REPO_ROOT / "tests" / "fixtures" / "shared"


def source_path(source: str) -> Path:
    for root in (SHARED, SHARED_COPY):
        for folder in ("reports", "real", "pool/raw"):
            candidate = root / folder / source
            if candidate.exists():
                return candidate
    raise FileNotFoundError(f"{source} is in none of reports, real, pool/raw of ../shared or tests/fixtures/shared")


def annotated_cells(cells_from: str) -> dict:
    path = Path(cells_from)
    # ../shared/... paths are written relative to the repository root, as the README writes them
    resolved = (REPO_ROOT / path).resolve() if not path.is_absolute() else path
    return json.loads(resolved.read_text(encoding="utf-8"))["cells"]


def compute_agrees(value: float | int, cells: list[str], table: dict, approx: bool = False) -> bool | None:
    """True / False when every cell has a value; None when one is absent or printed blank (the rule the fact
    stage applies, `gazette_nlp.facts.link.agrees`, on the annotated values)."""
    values = [table.get(c) for c in cells]
    return agrees(value, approx, None if any(v is None for v in values) else sum(values))


def _printed_forms(value: float | int) -> list[str]:
    """How a value may be printed: plain digits, with 万/亿 divided back out, with thousands separators."""
    forms = {str(value), f"{value:,}"}
    for unit, scale in (("万", 10_000), ("亿", 100_000_000)):
        if abs(value) >= scale:
            forms.add(f"{value / scale:g}{unit}")
    return sorted(forms)


def value_printed(value: float | int, text: str) -> bool:
    normalised = text.translate(str.maketrans("０１２３４５６７８９，．", "0123456789,."))
    for form in _printed_forms(value):
        # a digit run equal to the form, not a piece of a longer number
        if re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", normalised):
            return True
    return False


def check_file(path: Path, ids: set[str], write: bool, problems: Problems) -> int:
    where = path.name
    data = json.loads(path.read_text(encoding="utf-8"))
    report = read_any(source_path(data["source"]))
    lines = {ln.n: ln.text for ln in report.lines}
    raw = source_path(data["source"])
    if raw.suffix == ".txt":  # text files: the readers' numbering must be text.splitlines()
        raw_lines = raw.read_text(encoding="utf-8-sig").splitlines()
        for n, text in lines.items():
            if raw_lines[n - 1] != text:
                problems.add(where, f"line {n} as read differs from the raw file's line {n}")
                break
    table = annotated_cells(data["cells_from"])
    changed = False
    last = (0, -1)
    for i, fact in enumerate(data["facts"]):
        at = f"{where} fact {i} (line {fact.get('line')} {fact.get('text', '')[:20]})"
        unknown = set(fact) - FACT_KEYS
        if unknown:
            problems.add(at, f"unknown keys {sorted(unknown)}")
        line_text = lines.get(fact["line"])
        if line_text is None:
            problems.add(at, "no such line")
            continue
        position = line_text.find(fact["text"])
        if position < 0:
            problems.add(at, "text is not in the line")
        elif (fact["line"], position) < last:
            problems.add(at, "facts are not in reading order")
        else:
            last = (fact["line"], position)
        if not value_printed(fact["value"], fact["text"]):
            problems.add(at, f"value {fact['value']} is not printed in the text")
        readings = [fact["cells"], *fact.get("alternatives", [])]
        for cells in readings:
            for cell in cells:
                if cell not in ids:
                    problems.add(at, f"unknown cell id {cell}")
        if not fact["cells"]:
            problems.add(at, "a fact names at least one cell")
        agrees = compute_agrees(fact["value"], fact["cells"], table, fact.get("approx", False))
        if write:
            changed |= fact.get("agrees", "unset") != agrees
            fact["agrees"] = agrees
        elif "agrees" not in fact or fact["agrees"] is not agrees:
            problems.add(at, f"agrees is {fact.get('agrees', 'missing')}, the cells give {agrees}")
    for j, zero in enumerate(data.get("zero_statements", [])):
        at = f"{where} zero_statement {j}"
        if zero["text"] not in lines.get(zero["line"], ""):
            problems.add(at, "text is not in the line")
        for cell in zero["cells"]:
            if cell not in ids:
                problems.add(at, f"unknown cell id {cell}")
    if write and changed:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(data["facts"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=FACTS_DIR)
    parser.add_argument("--write", action="store_true", help="store the computed agrees")
    args = parser.parse_args(argv)
    ids = cell_ids()
    problems = Problems()
    counts = {}
    # the pool's excerpts are labelled in pool/ beside the complete reports
    for path in sorted([*args.dir.glob("*.json"), *args.dir.glob("pool/*.json")]):
        counts[path.stem] = check_file(path, ids, args.write, problems)
    for item in problems.items:
        print(item)
    print(f"{len(counts)} files, {sum(counts.values())} facts, {len(problems.items)} problems")
    return 1 if problems.items else 0


if __name__ == "__main__":
    sys.exit(main())
