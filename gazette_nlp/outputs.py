"""What a run writes besides JSONL records: the wide panel, the long format (one row per report x cell), typed
columns, output checks made before any work, and the sources a killed JSONL run already holds (`--resume`)."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Report
from .template import CELL_BY_ID, CELL_IDS


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
