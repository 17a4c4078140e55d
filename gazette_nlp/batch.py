"""Batch inference: expand inputs, parse on N worker processes (models loaded once per worker), stream out."""
from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .model import Report
from .template import CELL_IDS

INPUT_SUFFIXES = (".txt", ".text", ".md")


def expand_inputs(inputs: Iterable[str], stdin=None) -> list[str]:
    """Files, directories (recursive, by extension), globs, and `-` (a list of paths on stdin)."""
    out: list[str] = []
    for item in inputs:
        if item == "-":
            out += [ln.strip() for ln in (stdin or sys.stdin) if ln.strip()]
        elif os.path.isdir(item):
            found = sorted(str(p) for p in Path(item).rglob("*") if p.suffix.lower() in INPUT_SUFFIXES and p.is_file())
            out += found
        elif any(ch in item for ch in "*?[") and not os.path.exists(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: no file matches")
            out += matches
        else:
            out.append(item)  # a missing file becomes an error record, not a stop
    return out


_WORKER_PIPELINE = None


def _init_worker() -> None:
    global _WORKER_PIPELINE
    from .pipeline import Pipeline

    _WORKER_PIPELINE = Pipeline()


def _parse_in_worker(path: str) -> Report:
    from .pipeline import parse_safely

    return parse_safely(path, _WORKER_PIPELINE)


def run_batch(paths: Iterable[str | os.PathLike[str]], workers: int = 1) -> Iterator[Report]:
    """Yield one `Report` per path, in input order; failures are error records."""
    paths = [str(p) for p in paths]
    if workers <= 1:
        from .pipeline import default_pipeline, parse_safely

        pipe = default_pipeline()
        for p in paths:
            yield parse_safely(p, pipe)
        return
    import multiprocessing as mp

    ctx = mp.get_context("spawn" if sys.platform == "darwin" else "fork")
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        yield from pool.imap(_parse_in_worker, paths, chunksize=4)


def panel_row(report: Report) -> dict:
    row = {"source": report.source, "issuer": report.meta.get("issuer"), "year": report.meta.get("year"),
           "level": report.meta.get("level"), "template": report.meta.get("template"),
           "status": report.meta.get("status"), "issues": len(report.issues)}
    for cid in CELL_IDS:
        c = report.cells.get(cid)
        row[cid] = c.value if c is not None else None
    return row


def reports_to_frame(reports: Iterable[Report]):
    import pandas as pd

    return pd.DataFrame([panel_row(r) for r in reports])
