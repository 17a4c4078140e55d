"""Where training data comes from: annotated reports (gold format) and the synthetic generator."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from gazette_nlp.annotations import default_text_dirs, find_text, iter_gold_files, read_gold, report_with_gold
from gazette_nlp.model import Report
from gazette_nlp.paths import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared"
POOL_ANNOTATIONS = REPO_ROOT / "training" / "annotations" / "pool"
TEXT_DIRS = [SHARED / "reports", SHARED / "pool" / "raw", REPO_ROOT / "samples"]


def default_annotation_dirs() -> list[Path]:
    """The shared gold (when this checkout has ../shared) and our own annotations of ../shared/pool."""
    return [p for p in (SHARED / "gold", POOL_ANNOTATIONS) if p.is_dir()]


def annotated_records(paths: Iterable[str | Path] | None = None) -> Iterator[dict[str, Any]]:
    """Gold-format records, each with its raw `text` attached."""
    for path in paths if paths is not None else default_annotation_dirs():
        p = Path(path)
        if p.suffix == ".jsonl":
            with p.open(encoding="utf-8") as fh:
                yield from (json.loads(line) for line in fh if line.strip())
            continue
        for f in iter_gold_files(p):
            rec = read_gold(f)
            rec["text"] = find_text(rec, TEXT_DIRS + default_text_dirs(f.parent))
            yield rec


def synthetic_records(n: int, seed: int = 0, **options: Any) -> Iterator[dict[str, Any]]:
    from training.synth import generate_corpus

    yield from generate_corpus(n, seed=seed, **options)


def to_report(rec: dict[str, Any]) -> Report:
    return report_with_gold(rec, rec["text"])
