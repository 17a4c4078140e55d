"""What a run reads: files, directories walked by content, globs, and `-` (paths on stdin)."""
from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

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
            for p in _files_under(Path(item)):
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


def _files_under(root: Path) -> list[Path]:
    """Every file below `root` in path order; hidden folders (`.git`, `.cache`) and files are not walked."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(folder) / f for f in files if not f.startswith(".")]
    return sorted(found)


def expand_inputs(inputs: Iterable[str], stdin=None) -> list[str]:
    """The paths of `walk_inputs`, without the skipped files."""
    return walk_inputs(inputs, stdin).paths


def _why_skip(p: Path) -> str | None:
    """None: parse it; "": pass over silently (a link to a directory); else the reason it is skipped."""
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
