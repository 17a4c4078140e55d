"""Annotated reports in the gold format of ../shared/gold (the project's annotation format).

A gold record: {id, source, lines: [{n, text, label}], cells: {id: value|null}, paragraphs: [{n, section, themes}],
notes}. Synthetic records add `text` (the full text), `cell_lines` ({id: n}) and `corruptions`.
`load_annotations` returns a Hugging Face `datasets.Dataset` (Arrow-backed, one row per report); nested
fields are stored as JSON strings so records of different shapes share one schema.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import DataError
from .model import LINE_LABELS, Report
from .readers.text import report_from_text


def iter_gold_files(path: str | Path) -> Iterator[Path]:
    p = Path(path)
    if p.is_file():
        yield p
        return
    if not p.is_dir():
        raise DataError(f"{p}: no such annotation file or directory")
    yield from sorted(f for f in p.glob("*.json") if f.is_file())


def read_gold(path: str | Path) -> dict[str, Any]:
    try:
        rec = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise DataError(f"{path}: not a readable annotation file ({e})") from None
    for key in ("lines", "cells"):
        if key not in rec:
            raise DataError(f"{path}: annotation lacks {key!r}")
    for ln in rec["lines"]:
        if ln.get("label") not in LINE_LABELS:
            raise DataError(f"{path}: line {ln.get('n')} has label {ln.get('label')!r}")
    rec.setdefault("id", Path(path).stem)
    rec.setdefault("paragraphs", [])
    return rec


def find_text(rec: dict[str, Any], search: Iterable[str | Path]) -> str:
    """The raw text of an annotated report: inline `text`, or `source` looked up in `search` folders."""
    if rec.get("text"):
        return rec["text"]
    name = Path(rec.get("source") or f"{rec['id']}.txt").name
    for folder in search:
        f = Path(folder) / name
        if f.is_file():
            return f.read_bytes().decode("utf-8")
    raise DataError(f"{rec['id']}: raw text {name} not found in {[str(s) for s in search]}")


def report_with_gold(rec: dict[str, Any], text: str) -> Report:
    """A `Report` of the raw text with the gold line labels attached (unlabelled lines stay None)."""
    report = report_from_text(text, source=rec.get("source") or rec["id"])
    for ln in rec["lines"]:
        line = report.lines[ln["n"] - 1]
        if line.text != ln["text"]:
            raise DataError(f"{rec['id']}: line {ln['n']} text differs from the raw text")
        line.label = ln["label"]
    return report


def default_text_dirs(gold_dir: str | Path) -> list[Path]:
    g = Path(gold_dir)
    return [g, g.parent / "reports", g.parent / "raw", g.parent.parent / "reports", Path("samples")]


def load_annotations(paths: Iterable[str | Path], text_dirs: Iterable[str | Path] = ()):
    """Load gold-format files (dirs or files, or .jsonl of synthetic records) into a `datasets.Dataset`."""
    import datasets

    rows: list[dict[str, Any]] = []
    for path in paths:
        p = Path(path)
        if p.suffix == ".jsonl":
            with p.open(encoding="utf-8") as fh:
                recs = [json.loads(l) for l in fh if l.strip()]
        else:
            recs = [read_gold(f) for f in iter_gold_files(p)]
        dirs = list(text_dirs) + default_text_dirs(p if p.is_dir() else p.parent)
        for rec in recs:
            rows.append({
                "id": rec["id"],
                "source": rec.get("source") or rec["id"],
                "text": find_text(rec, dirs),
                "lines": json.dumps(rec["lines"], ensure_ascii=False),
                "cells": json.dumps(rec.get("cells") or {}, ensure_ascii=False),
                "paragraphs": json.dumps(rec.get("paragraphs") or [], ensure_ascii=False),
                "origin": str(rec.get("origin") or ("synthetic" if rec.get("corruptions") is not None else "gold")),
            })
    return datasets.Dataset.from_list(rows) if rows else datasets.Dataset.from_dict(
        {k: [] for k in ("id", "source", "text", "lines", "cells", "paragraphs", "origin")})


def decode_row(row: dict[str, Any]) -> dict[str, Any]:
    """Undo the JSON-string storage of one dataset row."""
    return {**row, **{k: json.loads(row[k]) for k in ("lines", "cells", "paragraphs")}}


__all__ = ["decode_row", "find_text", "iter_gold_files", "load_annotations", "read_gold", "report_with_gold"]
