"""Batch inference: expand inputs, parse on N worker processes (models loaded once per worker), stream out."""
from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Report
from .template import CELL_IDS

INPUT_SUFFIXES = (".txt", ".text", ".md", ".pdf", ".html", ".htm", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


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


# ---------------------------------------------------------------- what a worker sends back
@dataclass
class Written:
    """A parsed report as the CLI writes it: the JSONL record, the panel row and the summary line, made in the
    worker. The parent then only writes strings — unpickling and serialising whole `Report`s in one parent
    process would cap the speed-up of N workers on N cores."""

    source: str
    status: str
    record: str
    row: dict[str, Any]
    summary: str
    error: str | None = None
    message: str | None = None


def summary_line(report: Report) -> str:
    m = report.meta
    if m.get("status") not in (None, "ok"):
        return f"{Path(report.source).name}: {m.get('status')} ({m.get('error')}: {m.get('message')})"
    filled = sum(1 for c in report.cells.values() if c.value is not None)
    labelled = sum(1 for ln in report.lines if ln.label)
    themes = sum(1 for p in report.paragraphs if p.themes)
    return (f"{Path(report.source).name}: {labelled} lines, {len(report.sections)} sections, "
            f"{filled}/{len(report.cells)} cells filled, {len(report.paragraphs)} paragraphs "
            f"({themes} themed), {len(report.issues)} issues, template {m.get('template', '?')}, "
            f"{m.get('issuer') or '?'} {m.get('year') or '?'}")


def written(report: Report) -> Written:
    m = report.meta
    return Written(report.source, m.get("status") or "ok", report.to_jsonl(), panel_row(report), summary_line(report),
                   m.get("error"), m.get("message"))


# ---------------------------------------------------------------- local processes
_WORKER_PIPELINE = None


def use_one_thread() -> None:
    """N worker processes on N cores: each must compute on one thread (the cell tagger's torch would
    otherwise start a thread per core in every worker)."""
    os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = "1"
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


def _init_worker(skip: tuple[str, ...] = ()) -> None:
    global _WORKER_PIPELINE
    from .pipeline import Pipeline

    use_one_thread()
    _WORKER_PIPELINE = Pipeline(skip=skip)


def _parse_in_worker(path: str) -> Report:
    from .pipeline import parse_safely

    return parse_safely(path, _WORKER_PIPELINE)


def _write_in_worker(path: str) -> Written:
    return written(_parse_in_worker(path))


def run_batch(paths: Iterable[str | os.PathLike[str]], workers: int = 1,
              skip: tuple[str, ...] = (), as_written: bool = False) -> Iterator[Report] | Iterator[Written]:
    """Yield one `Report` per path (`Written` with `as_written`), in input order; failures are error records."""
    paths = [str(p) for p in paths]
    if workers <= 1:
        from .pipeline import Pipeline, default_pipeline, parse_safely

        pipe = Pipeline(skip=skip) if skip else default_pipeline()
        for p in paths:
            report = parse_safely(p, pipe)
            yield written(report) if as_written else report
        return
    import multiprocessing as mp

    ctx = mp.get_context("spawn" if sys.platform == "darwin" else "fork")
    fn: Callable[[str], Any] = _write_in_worker if as_written else _parse_in_worker
    with ctx.Pool(workers, initializer=_init_worker, initargs=(skip,)) as pool:
        yield from pool.imap(fn, paths, chunksize=4)


# ---------------------------------------------------------------- a Dask cluster
def _parse_on_dask_worker(path: str, skip: tuple[str, ...], as_written: bool = False) -> Report | Written:
    """Runs on a Dask worker: one pipeline per worker process, kept on the worker between tasks."""
    from distributed import get_worker

    from .pipeline import Pipeline, parse_safely

    worker = get_worker()
    key = f"gazette_nlp_pipeline_{'_'.join(skip)}"
    pipe = getattr(worker, key, None)
    if pipe is None:
        use_one_thread()
        pipe = Pipeline(skip=skip)
        setattr(worker, key, pipe)
    report = parse_safely(path, pipe)
    return written(report) if as_written else report


def run_dask(paths: Iterable[str | os.PathLike[str]], scheduler: str | None = None, workers: int = 2,
             skip: tuple[str, ...] = (), window: int = 64, as_written: bool = False
             ) -> Iterator[Report] | Iterator[Written]:
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
    try:
        futures = [client.submit(_parse_on_dask_worker, p, skip, as_written, pure=False)
                   for p in paths[:window]]
        for i in range(len(paths)):
            report = futures[i].result()
            futures[i] = None  # release the finished task's result
            if i + window < len(paths):
                futures.append(client.submit(_parse_on_dask_worker, paths[i + window], skip, as_written,
                                             pure=False))
            yield report
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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


# ---------------------------------------------------------------- incremental output and resume
def completed_sources(jsonl_path: str | os.PathLike[str]) -> set[str]:
    """Sources already written to a JSONL output; a last line cut by a kill is removed so it is redone."""
    p = Path(jsonl_path)
    if not p.is_file():
        return set()
    data = p.read_bytes()
    cut = data.rfind(b"\n") + 1
    if cut != len(data):
        with p.open("r+b") as fh:
            fh.truncate(cut)
    import json

    done: set[str] = set()
    for raw in data[:cut].splitlines():
        try:
            done.add(json.loads(raw)["source"])
        except (ValueError, KeyError):
            continue
    return done


class PanelWriter:
    """One row per report, one column per template cell, streamed to CSV or Parquet in bounded memory."""

    def __init__(self, path: str | os.PathLike[str], batch_size: int = 500) -> None:
        self.path, self.batch_size, self.rows = Path(path), batch_size, []
        self.kind = self.path.suffix.lower().lstrip(".")
        if self.kind not in ("csv", "parquet"):
            raise InputError(f"{path}: panel output must end in .csv or .parquet")
        self._writer = None
        self._header = True

    def add(self, report: Report | dict[str, Any]) -> None:
        """A report, or its `panel_row`."""
        self.rows.append(report if isinstance(report, dict) else panel_row(report))
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        import pandas as pd

        frame = pd.DataFrame(self.rows)
        self.rows = []
        if self.kind == "csv":
            frame.to_csv(self.path, mode="w" if self._header else "a", header=self._header, index=False)
            self._header = False
            return
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError("Parquet output needs pyarrow: pip install 'gazette-nlp[parquet]'") from None
        table = pa.Table.from_pandas(frame.astype({c: "float64" for c in CELL_IDS}), preserve_index=False)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema)
        self._writer.write_table(table)

    def close(self) -> None:
        self.flush()
        if self._writer is not None:
            self._writer.close()
