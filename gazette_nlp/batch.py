"""Batch inference: expand inputs, parse on N worker processes (models loaded once per worker), stream out."""
from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .model import Report
from .readers.bounds import max_chars_setting, set_max_chars
from .template import CELL_BY_ID, CELL_IDS

if TYPE_CHECKING:
    from .pipeline import Pipeline

INPUT_SUFFIXES = (".txt", ".text", ".md", ".pdf", ".html", ".htm", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
SNIFF_BYTES = 8192


@dataclass
class Skipped:
    """A file a directory walk left out, and why (listed in the run's summary)."""

    path: str
    reason: str


@dataclass
class Inputs:
    paths: list[str]
    skipped: list[Skipped]


def walk_inputs(inputs: Iterable[str], stdin=None) -> Inputs:
    """Files, directories (recursive, by content), globs, and `-` (a list of paths on stdin).

    A file named on the command line is always parsed (a failure becomes its error record). In a directory, a file
    of a report extension is parsed too; any other file is parsed when its bytes are a PDF, an image or a web page
    (`.shtml`, `.jsp`, … pages) or a text holding a report's key terms, and skipped with a reason otherwise."""
    paths: list[str] = []
    skipped: list[Skipped] = []
    for item in inputs:
        if item == "-":
            paths += [ln.strip() for ln in (stdin or sys.stdin) if ln.strip()]
        elif os.path.isdir(item):
            for p in sorted(Path(item).rglob("*")):
                reason = _why_skip(p)
                if reason is None:
                    paths.append(str(p))
                elif reason:
                    skipped.append(Skipped(str(p), reason))
        elif any(ch in item for ch in "*?[") and not os.path.exists(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: no file matches")
            paths += matches
        else:
            paths.append(item)  # a missing file becomes an error record, not a stop
    return Inputs(paths, skipped)


def expand_inputs(inputs: Iterable[str], stdin=None) -> list[str]:
    """The paths of `walk_inputs`, without the skipped files."""
    return walk_inputs(inputs, stdin).paths


def _why_skip(p: Path) -> str | None:
    """None: parse it; "": pass over silently (a directory); else the reason it is skipped."""
    if p.is_symlink() and not p.exists():
        return "dangling link"
    if p.is_dir():
        return ""
    if not p.is_file():
        return "not a regular file"
    if p.suffix.lower() in INPUT_SUFFIXES:
        return None
    try:
        with p.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as e:
        return f"unreadable ({e.strerror or e})"
    if not head.strip():
        return "empty, of no report extension"
    from .readers.route import sniff

    if sniff(head, p.suffix) != "text":
        return None  # a PDF, an image or a web page, whatever its name
    from .errors import GazetteError
    from .pipeline import REPORT_WORDS
    from .readers.text import decode_bytes
    from .textnorm import to_simplified

    try:
        text, _ = decode_bytes(head)
    except GazetteError as e:
        return f"not a report format ({e})"
    if text.lstrip().startswith(("{", "[")):  # records, annotations: they quote report text but are data
        return "JSON data, not a report text"
    if any(w in to_simplified(text) for w in REPORT_WORDS):
        return None
    return f"text without a report's key terms in its first {SNIFF_BYTES // 1024} KB, of no report extension"


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


@dataclass
class CellCounts:
    """Of the template's cells: read from the text (incl. identity-inferred), printed blank, not in the text."""

    read: int
    blank: int
    absent: int

    @classmethod
    def of(cls, report: Report) -> CellCounts:
        blank = sum(1 for c in report.cells.values() if c.value is None)
        return cls(len(report.cells) - blank, blank, len(CELL_IDS) - len(report.cells))


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


def panel_row(report: Report) -> dict:
    counts = CellCounts.of(report)
    row = {"source": report.source, "issuer": report.meta.get("issuer"), "year": report.meta.get("year"),
           "level": report.meta.get("level"), "template": report.meta.get("template"),
           "status": report.meta.get("status"), "issues": len(report.issues),
           "cells_read": counts.read, "cells_blank": counts.blank, "cells_absent": counts.absent}
    for cid in CELL_IDS:
        c = report.cells.get(cid)
        row[cid] = c.value if c is not None else None
    return row


PANEL_COLUMNS = ("source", "issuer", "year", "level", "template", "status", "issues", "cells_read", "cells_blank",
                 "cells_absent") + CELL_IDS


def reports_to_frame(reports: Iterable[Report]):
    import pandas as pd

    return pd.DataFrame([panel_row(r) for r in reports])


# ---------------------------------------------------------------- the long format: one row per report × cell
LONG_COLUMNS = ("source", "cell", "value", "status", "origin", "confidence", "line", "raw")


def cell_status(report: Report, cid: str) -> str:
    """`read`, `inferred` (forced by an identity), `blank` (printed blank) or `absent` (not in the text)."""
    c = report.cells.get(cid)
    if c is None:
        return "absent"
    if c.value is None:
        return "blank"
    return "inferred" if c.origin == "inferred" else "read"


def long_rows(report: Report) -> list[dict[str, Any]]:
    rows = []
    for cid in CELL_IDS:
        c = report.cells.get(cid)
        rows.append({"source": report.source, "cell": cid, "value": c.value if c else None,
                     "status": cell_status(report, cid), "origin": c.origin if c else None,
                     "confidence": round(c.confidence, 4) if c else None, "line": c.line if c else None,
                     "raw": c.raw if c else None})
    return rows


# ---------------------------------------------------------------- column types
# fees are printed in 万元 with decimals; every other cell is a count
FLOAT_CELLS = frozenset(cid for cid in CELL_IDS if CELL_BY_ID[cid].column == "amount")
_INT_COLUMNS = ("year", "issues", "cells_read", "cells_blank", "cells_absent")


def _as_count(v: Any) -> Any:
    """A count as an int; a fractional value in a count cell (a misreading) cannot be one, so it is left out of
    the wide panel (the JSONL record and the long format keep it)."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, float):
        return int(v) if v.is_integer() else None
    if isinstance(v, str):  # a year as text
        return int(v) if v.strip().isdigit() else None
    return v


def typed_panel(rows: list[dict[str, Any]]):
    """The wide panel as a frame of nullable columns: counts `Int64` (no `101.0`), fees `Float64`, text `string`;
    the same dtypes for every batch, so a Parquet file keeps one schema."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(PANEL_COLUMNS))
    for col in frame.columns:
        if col in FLOAT_CELLS:
            frame[col] = pd.array([None if v is None else float(v) for v in frame[col]], dtype="Float64")
        elif col in _INT_COLUMNS or col in CELL_BY_ID:
            frame[col] = pd.array([_as_count(v) for v in frame[col]], dtype="Int64")
        else:
            frame[col] = frame[col].astype("string")
    return frame


def typed_long(rows: list[dict[str, Any]], for_csv: bool):
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(LONG_COLUMNS))
    for col in ("source", "cell", "status", "origin", "raw"):
        frame[col] = frame[col].astype("string")
    frame["line"] = pd.array(list(frame["line"]), dtype="Int64")
    frame["confidence"] = pd.array(list(frame["confidence"]), dtype="Float64")
    values = [r["value"] for r in rows]
    if for_csv:  # the values as Python writes them, 101 and 2561.768: an object column is written value by value
        frame["value"] = pd.Series(values, dtype=object, index=frame.index)
    else:  # one Parquet type for counts and fees alike
        frame["value"] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
    return frame


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


JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
PANEL_SUFFIXES = (".csv", ".parquet")


def check_output(path: str | os.PathLike[str], cells_long: bool = False) -> str:
    """`jsonl` or `panel`, or an `OutputError` — before any work, so a batch is never parsed for nothing."""
    from .errors import OutputError

    p = Path(path)
    kind = p.suffix.lower()
    if kind in PANEL_SUFFIXES:
        if kind == ".parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise OutputError("Parquet output needs pyarrow: pip install 'gazette-nlp[parquet]'") from None
    elif kind not in JSONL_SUFFIXES:
        raise OutputError(f"{p}: unknown output format {kind or '(no extension)'!r}; "
                          f"use .jsonl (records), .csv or .parquet (panel)")
    elif cells_long:
        raise OutputError("--cells-long writes a panel: give --out a .csv or .parquet path")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{p}: directory {parent} does not exist")
    if p.is_dir():
        raise OutputError(f"{p} is a directory")
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise OutputError(f"{p}: permission denied")
    return "panel" if kind in PANEL_SUFFIXES else "jsonl"


class PanelWriter:
    """Reports streamed to CSV or Parquet in bounded memory: the wide panel (one row per report, one column per
    template cell) or, with `long`, one row per report × cell. Written to `NAME.part` and renamed when closed, so a
    file under the panel's name is always whole."""

    def __init__(self, path: str | os.PathLike[str], batch_size: int = 500, long: bool = False) -> None:
        self.path, self.batch_size, self.long = Path(path), batch_size, long
        self.rows: list[dict[str, Any]] = []
        self.kind = self.path.suffix.lower().lstrip(".")
        if self.kind not in ("csv", "parquet"):
            raise InputError(f"{path}: panel output must end in .csv or .parquet")
        self.part = self.path.with_name(self.path.name + ".part")
        self._writer = None
        self._header = True

    def add(self, report: Report | dict[str, Any] | list[dict[str, Any]]) -> None:
        """A report, its `panel_row`, or (long) its `long_rows`."""
        if isinstance(report, Report):
            self.rows += long_rows(report) if self.long else [panel_row(report)]
        else:
            self.rows += report if isinstance(report, list) else [report]
        if len(self.rows) >= self.batch_size * (len(CELL_IDS) if self.long else 1):
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        frame = typed_long(self.rows, self.kind == "csv") if self.long else typed_panel(self.rows)
        self.rows = []
        if self.kind == "csv":
            frame.to_csv(self.part, mode="w" if self._header else "a", header=self._header, index=False)
            self._header = False
            return
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError("Parquet output needs pyarrow: pip install 'gazette-nlp[parquet]'") from None
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.part, table.schema)
        self._writer.write_table(table.cast(self._writer.schema))

    def close(self) -> None:
        self.flush()
        if self._writer is not None:
            self._writer.close()
        elif self._header:  # no report at all: an empty panel with its columns
            self.rows = []
            empty = typed_long([], True) if self.long else typed_panel([])
            if self.kind == "csv":
                empty.to_csv(self.part, index=False)
            else:
                empty.to_parquet(self.part, index=False)
        os.replace(self.part, self.path)
