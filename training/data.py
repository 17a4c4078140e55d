"""Where training data comes from: annotated reports (gold format) and the synthetic generator."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from gazette_nlp.annotations import decode_row, load_annotations, report_with_gold
from gazette_nlp.model import Report
from gazette_nlp.paths import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared"
POOL_ANNOTATIONS = REPO_ROOT / "training" / "annotations" / "pool"
TEXT_DIRS = [SHARED / "reports", SHARED / "pool" / "raw", REPO_ROOT / "samples"]


def default_annotation_dirs() -> list[Path]:
    """The shared gold (when this checkout has ../shared) and our own annotations of ../shared/pool."""
    return [p for p in (SHARED / "gold", POOL_ANNOTATIONS) if p.is_dir()]


def annotated_records(paths: Iterable[str | Path] | None = None) -> Iterator[dict[str, Any]]:
    """Gold-format records with their raw `text`, read through `datasets` (Arrow-backed, one row per report)."""
    ds = load_annotations(list(paths) if paths is not None else default_annotation_dirs(), text_dirs=TEXT_DIRS)
    for row in ds:
        yield decode_row(row)


def synthetic_records(n: int, seed: int = 0, **options: Any) -> Iterator[dict[str, Any]]:
    from training.synth import generate_corpus

    yield from generate_corpus(n, seed=seed, **options)


def to_report(rec: dict[str, Any]) -> Report:
    return report_with_gold(rec, rec["text"])
