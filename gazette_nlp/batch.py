"""Batch inference: parse on N worker processes or a Dask cluster (models loaded once per worker), stream out.

What a run reads is `inputs`, what it writes besides records is `outputs`; their names are importable from here too.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .inputs import INPUT_SUFFIXES, Inputs, Skipped, expand_inputs, walk_inputs  # noqa: F401
from .model import Report
from .errors import InputError
from .outputs import (CellCounts, PanelWriter, check_output, completed_sources, long_rows,  # noqa: F401
                      panel_row, reports_to_frame)
from .readers.bounds import max_chars_setting, set_max_chars

if TYPE_CHECKING:
    from .pipeline import Pipeline


# ---------------------------------------------------------------- what a worker sends back
@dataclass
class Written:
    """A parsed report as the CLI writes it: the JSONL record, the panel row(s), the summary line and the counts
    of the closing summary, made in the worker. The parent then only writes strings — unpickling and serialising
    whole `Report`s in one parent process would cap the speed-up of N workers on N cores."""

    source: str
    status: str
    record: str
    row: dict[str, Any]
    summary: str
    error: str | None = None
    message: str | None = None
    cells: CellCounts | None = None
    issue_kinds: dict[str, int] = field(default_factory=dict)
    traceback: str | None = None  # a bug, not a bad input: where it happened
    long_rows: list[dict[str, Any]] | None = None  # one per template cell, for `--cells-long`


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _why_absent(report: Report) -> str:
    m = report.meta
    if m.get("template") == "pre-2019":
        return "pre-2019 outline"
    if any(i.kind == "missing_rows" for i in report.issues):
        return "rows missing"
    if m.get("template") in ("2019", "mixed"):
        return "2019 form"
    return ""


def summary_line(report: Report) -> str:
    m = report.meta
    if m.get("status") not in (None, "ok"):
        return f"{Path(report.source).name}: {m.get('status')} ({m.get('error')}: {m.get('message')})"
    counts = CellCounts.of(report)
    labelled = sum(1 for ln in report.lines if ln.label)
    themes = sum(1 for p in report.paragraphs if p.themes)
    cells = f"{counts.read} cells read" + (f" ({counts.blank} printed blank)" if counts.blank else "")
    if counts.absent:
        why = _why_absent(report)
        cells += f", {counts.absent} absent" + (f" ({why})" if why else "")
    issuer = m.get("issuer") or "issuer unknown"
    year = m.get("year") or "year unknown"
    return (f"{Path(report.source).name}: {labelled} lines, {len(report.sections)} sections, {cells}, "
            f"{len(report.paragraphs)} paragraphs ({themes} themed), {plural(len(report.issues), 'issue')}, "
            f"template {m.get('template') or 'unknown'}, {issuer}, {year}")


def written(report: Report, cells_long: bool = False) -> Written:
    m = report.meta
    kinds: dict[str, int] = {}
    for i in report.issues:
        kinds[i.kind] = kinds.get(i.kind, 0) + 1
    return Written(report.source, m.get("status") or "ok", report.to_jsonl(), panel_row(report), summary_line(report),
                   m.get("error"), m.get("message"), CellCounts.of(report), kinds, m.get("traceback"),
                   long_rows(report) if cells_long else None)


# ---------------------------------------------------------------- local processes
_WORKER_PIPELINE = None


def use_one_thread() -> None:
    """N worker processes on N cores: each must compute on one thread (the cell tagger's torch would
    otherwise start a thread per core in every worker)."""
    os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = "1"
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


def _init_worker(skip: tuple[str, ...] = (), max_chars: int | None = None) -> None:
    global _WORKER_PIPELINE
    from .pipeline import Pipeline

    use_one_thread()
    if max_chars is not None:
        set_max_chars(max_chars)
    _WORKER_PIPELINE = Pipeline(skip=skip)


def _parse_in_worker(path: str) -> Report:
    from .pipeline import parse_safely

    return parse_safely(path, _WORKER_PIPELINE)


def _write_in_worker(path: str, cells_long: bool = False) -> Written:
    return written(_parse_in_worker(path), cells_long)


def run_batch(paths: Iterable[str | os.PathLike[str]], workers: int = 1, skip: tuple[str, ...] = (),
              as_written: bool = False, pipeline: Pipeline | None = None, cells_long: bool = False,
              max_chars: int | None = None) -> Iterator[Report] | Iterator[Written]:
    """Yield one `Report` per path (`Written` with `as_written`), in input order; failures are error records.

    `pipeline`: an already loaded one, for one worker (the CLI loads it before the progress bar starts).
    `max_chars`: the input size limit (`readers.bounds`) in this process and the workers."""
    paths = [str(p) for p in paths]
    previous = max_chars_setting()
    if max_chars is not None:
        set_max_chars(max_chars)
    try:
        if workers <= 1:
            from .pipeline import Pipeline, default_pipeline, parse_safely

            pipe = pipeline or (Pipeline(skip=skip) if skip else default_pipeline())
            for p in paths:
                report = parse_safely(p, pipe)
                yield written(report, cells_long) if as_written else report
            return
        import multiprocessing as mp
        from functools import partial

        ctx = mp.get_context("spawn" if sys.platform == "darwin" else "fork")
        fn: Callable[[str], Any] = (partial(_write_in_worker, cells_long=cells_long) if as_written
                                    else _parse_in_worker)
        with ctx.Pool(workers, initializer=_init_worker, initargs=(skip, max_chars)) as pool:
            yield from pool.imap(fn, paths, chunksize=4)
    finally:
        set_max_chars(previous)  # the limit was this run's, not the calling program's


# ---------------------------------------------------------------- a Dask cluster
def _parse_on_dask_worker(path: str, skip: tuple[str, ...], as_written: bool = False, cells_long: bool = False,
                          max_chars: int | None = None) -> Report | Written:
    """Runs on a Dask worker: one pipeline per worker process, kept on the worker between tasks."""
    from distributed import get_worker

    from .pipeline import Pipeline, parse_safely

    if max_chars is not None:  # a remote worker does not share this process's environment
        set_max_chars(max_chars)
    worker = get_worker()
    key = f"gazette_nlp_pipeline_{'_'.join(skip)}"
    pipe = getattr(worker, key, None)
    if pipe is None:
        use_one_thread()
        pipe = Pipeline(skip=skip)
        setattr(worker, key, pipe)
    report = parse_safely(path, pipe)
    return written(report, cells_long) if as_written else report


def run_dask(paths: Iterable[str | os.PathLike[str]], scheduler: str | None = None, workers: int = 2,
             skip: tuple[str, ...] = (), window: int = 64, as_written: bool = False, cells_long: bool = False,
             max_chars: int | None = None) -> Iterator[Report] | Iterator[Written]:
    """The same work on a `dask.distributed` cluster (a `LocalCluster` of `workers` processes when no address is
    given), in input order, with at most `window` tasks in flight so memory stays bounded."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("the Dask engine needs dask.distributed: pip install 'gazette-nlp[dask]'") from None
    paths = [str(p) for p in paths]
    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                  dashboard_address=None)
    client = Client(scheduler or cluster)
    args = (skip, as_written, cells_long, max_chars)
    try:
        futures = [client.submit(_parse_on_dask_worker, p, *args, pure=False) for p in paths[:window]]
        for i in range(len(paths)):
            report = futures[i].result()
            futures[i] = None  # release the finished task's result
            if i + window < len(paths):
                futures.append(client.submit(_parse_on_dask_worker, paths[i + window], *args, pure=False))
            yield report
    finally:
        _close_dask(client, cluster)


WORKER_EXIT_S = 60.0


def _close_dask(client: Any, cluster: Any) -> None:
    """A worker that loaded torch and spaCy takes a few seconds to exit (the interpreter freeing their modules),
    longer than the 4 s a nanny waits by default before it kills it and warns. Each local worker is closed with
    time to exit on its own; then the cluster."""
    client.close()
    if cluster is None:
        return
    import asyncio

    async def close_workers(nannies: list[Any]) -> None:
        await asyncio.gather(*(n.close(timeout=WORKER_EXIT_S) for n in nannies))

    try:
        cluster.sync(close_workers, list(cluster.workers.values()))
    finally:
        cluster.close()
