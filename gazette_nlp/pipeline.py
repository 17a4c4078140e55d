"""The pipeline: one list of stages, each `Report -> Report`, run in order with the models loaded once.

bytes ─read─▶ Report(lines) ─classify_lines─▶ labels ─segment_sections─▶ sections ─align_cells─▶ cells, issues
      ─cross_check_cells─▶ cells read again by the neural tagger: agreement kept, disagreement flagged
      ─assemble_paragraphs─▶ paragraphs ─theme_paragraphs─▶ themes ─read_meta─▶ meta
      ─extract_facts─▶ facts: narrative numbers checked against the cells (narrative_mismatch issues)
"""
from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable, Iterator

from .errors import GazetteError, NotAReportError
from .model import Issue, Report
from .readers.route import read_any
from .readers.text import read_text
from .resegment import restore_printed_lines

Stage = Callable[[Report], Report]
REPORT_WORDS = ("政府信息公开", "政务公开", "信息公开", "依申请", "主动公开", "年度报告")


# stage name → (module, function); imported only when a pipeline uses the stage, so a model loads on demand
STAGES: dict[str, tuple[str, str]] = {
    "resegment_lines": (".resegment", "resegment_lines"),
    "classify_lines": (".lines.classifier", "classify_lines"),
    "segment_sections": (".sections", "segment_sections"),
    "align_cells": (".cells", "align_cells"),
    "cross_check_cells": (".cells.crosscheck", "cross_check_cells"),
    "assemble_paragraphs": (".themes", "assemble_paragraphs"),
    "theme_paragraphs": (".themes", "theme_paragraphs"),
    "read_meta": (".meta", "read_meta"),
    "extract_facts": (".facts.stage", "extract_facts"),
}


def _load_stage(name: str) -> Stage:
    import importlib

    module, attr = STAGES[name]
    return getattr(importlib.import_module(module, __package__), attr)


DEFAULT_STAGES: tuple[str, ...] = ("resegment_lines", "classify_lines", "segment_sections", "align_cells", "cross_check_cells",
                                   "assemble_paragraphs", "theme_paragraphs", "read_meta", "extract_facts")


def check_is_report(report: Report) -> None:
    text = "\n".join(ln.norm for ln in report.lines[:400])
    hits = sum(1 for w in REPORT_WORDS if w in text)
    if hits < 2:
        raise NotAReportError("the text is not a government information-disclosure annual report "
                              "(none of its key terms: 政府信息公开, 主动公开, 依申请, 年度报告)")


class Pipeline:
    """Runs the named stages in order. `Pipeline(skip={"theme_paragraphs"})` leaves one out."""

    def __init__(self, stages: Iterable[str] = DEFAULT_STAGES, skip: Iterable[str] = ()) -> None:
        unknown = [s for s in list(stages) + list(skip) if s not in STAGES]
        if unknown:
            raise GazetteError(f"unknown pipeline stage(s): {', '.join(unknown)}; known: {', '.join(STAGES)}")
        self.names = [s for s in stages if s not in set(skip)]
        self.stages = [(name, _load_stage(name)) for name in self.names]

    def __call__(self, report: Report) -> Report:
        check_is_report(report)
        for _, stage in self.stages:
            report = stage(report)
        report = restore_printed_lines(report)
        report.meta.setdefault("status", "ok")
        return report

    def parse(self, source: str | os.PathLike[str]) -> Report:
        return self(_read(source))


def _read(source: str | os.PathLike[str]) -> Report:
    if isinstance(source, os.PathLike) or ("\n" not in source and len(source) < 4096):
        return read_any(source)  # by content: text, HTML, PDF (text layer or OCR), image (OCR)
    return read_text(source)


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def parse(path_or_text: str | os.PathLike[str]) -> Report:
    """Parse one report (a path, or the text itself when it has line breaks). Raises `GazetteError`."""
    return default_pipeline().parse(path_or_text)


def parse_safely(path: str | os.PathLike[str], pipeline: Pipeline | None = None) -> Report:
    """Parse one file for a batch: errors become a record with `meta.status` and an issue, never an exception."""
    pipe = pipeline or default_pipeline()
    try:
        return pipe.parse(path)
    except NotAReportError as e:
        return _error_report(path, e, status="not_a_report")
    except GazetteError as e:
        return _error_report(path, e, status="error")
    except Exception as e:  # a bug must not stop a batch of ten thousand files; it is reported per file
        report = _error_report(path, e, status="error")
        report.meta["traceback"] = traceback.format_exc()  # a bug report needs where, not only what
        return report


def _error_report(path: str | os.PathLike[str], err: Exception, status: str) -> Report:
    kind = "not_a_report" if status == "not_a_report" else "input_error"
    msg = str(err) or type(err).__name__
    return Report(source=str(path), issues=[Issue(kind=kind, message=msg)],
                  meta={"status": status, "error": type(err).__name__, "message": msg})


def parse_many(paths: Iterable[str | os.PathLike[str]], workers: int = 1) -> Iterator[Report]:
    """Parse many files, in order; failures come back as error records (see `parse_safely`)."""
    from .batch import run_batch

    yield from run_batch(paths, workers=workers)


def to_frame(reports: Iterable[Report]):
    """The panel: one row per report, one column per template cell id in template order."""
    from .batch import reports_to_frame

    return reports_to_frame(reports)
