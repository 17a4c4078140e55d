"""Check that a made PDF prints exactly its expected cells: the ruled tables read back with pdfplumber's
`extract_tables` (independent of gazette_nlp's readers), their rows matched to the template by label.

    python -m training.office.verify DIR_OR_PDF …     # one line per PDF: cells read back / expected, mismatches
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from gazette_nlp.template import T2_BLOCKS, T3_COLUMNS, T3_ROWS, T4_GROUPS, T4_KEYS


def _sq(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _num(text: str | None) -> int | float | None:
    t = _sq(text)
    if not t:
        return None
    return float(t) if "." in t else int(t)


_T2_ROWS = {rl: (rk, b) for b in T2_BLOCKS for rk, rl in b.rows}
_T3_LABELS = sorted(((_sq(r.label), r.key) for r in T3_ROWS), key=lambda x: -len(x[0]))


def read_cells(pdf_path: Path) -> dict[str, Any]:
    import pdfplumber

    cells: dict[str, Any] = {}
    pending: list[str] = []  # label of a table-三 row whose label did not match: a row broken across pages
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                for row in table:
                    pending = _read_row(row, cells, pending)
    return cells


def _read_row(row: list[str | None], cells: dict[str, Any], pending: list[str]) -> list[str]:
    """One extracted table row. Column counts vary (pdfplumber builds the grid from the ruling lines of each page
    region, merged cells come back as None), so rows are recognised by their labels and values taken in order.
    A table-三 row that a page break cut in two (values and the label's head on one page, the label's tail with
    empty value cells on the next) is joined: returns the pending [label, values…] of an unmatched row."""
    filled = [c for c in row if c is not None]
    if not filled:
        return pending
    first = next((i for i, c in enumerate(filled) if re.fullmatch(r"[\d.]+", _sq(c))), None)
    head = "".join(_sq(c) for c in (filled if first is None else filled[:first]))
    if _sq(filled[0]) in _T2_ROWS:
        rk, block = _T2_ROWS[_sq(filled[0])]
        values = filled[1:]
        for j, (ck, _) in enumerate(block.columns):
            cells[f"t2.{rk}.{ck}"] = _num(values[j]) if j < len(values) else None
        return []
    if len(filled) == 15 and all(re.fullmatch(r"[\d.]*", _sq(c)) for c in filled):
        for gi, (gk, _) in enumerate(T4_GROUPS):
            for k, (kk, _) in enumerate(T4_KEYS):
                cells[f"t4.{gk}.{kk}"] = _num(filled[5 * gi + k])
        return []
    values = filled[-7:]
    if head.startswith("（本列") or len(filled) < 8 or not all(re.fullmatch(r"[\d.]*", _sq(v)) for v in values):
        return pending  # header rows (repeated on a new page): a row broken by the page continues below them
    label = "".join(_sq(c) for c in filled[:-7])
    if pending and not any(_sq(v) for v in values):  # the tail of a broken row: its last label cell continues
        label, values = pending[0] + _sq(filled[-8]), pending[1:]
    for sq, key in _T3_LABELS:
        if label.endswith(sq):
            for j, (ck, _) in enumerate(T3_COLUMNS):
                cells[f"t3.{key}.{ck}"] = _num(values[j])
            return []
    return [_sq(filled[-8]), *values]


def compare(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    bad = [f"{cid}: expected {v!r}, read {got.get(cid, 'absent')!r}" for cid, v in expected.items()
           if cid not in got or got[cid] != v]
    bad += [f"{cid}: not expected, read {got[cid]!r}" for cid in got if cid not in expected]
    return bad


def verify(pdf_path: Path) -> tuple[int, list[str]]:
    expected = json.loads(pdf_path.with_suffix(".json").read_text(encoding="utf-8"))["cells"]
    return len(expected), compare(expected, read_cells(pdf_path))


def main(argv: list[str] | None = None) -> int:
    paths: list[Path] = []
    for a in argv if argv is not None else sys.argv[1:]:
        p = Path(a)
        paths += sorted(p.glob("*.pdf")) if p.is_dir() else [p]
    failed = 0
    for p in paths:
        if not p.with_suffix(".json").exists():
            print(f"{p.name}\tno {p.with_suffix('.json').name}: skipped")
            continue
        n, bad = verify(p)
        failed += bool(bad)
        print(f"{p.name}\t{n - len([b for b in bad if 'expected' in b])}/{n} cells read back"
              + (f"\t{len(bad)} mismatches: {bad[:3]}" if bad else "\tok"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
