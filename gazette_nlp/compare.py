"""`gazette-nlp compare A B`: two records side by side (typically one issuer's two years).

Every cell either side holds, with the change and percent change; the identities each side satisfies and
breaks; the narrative facts of each side; the themes each side covers. Output as a terminal table (rich when
installed), JSON (`comparison()`), a self-contained HTML page (largest changes first), or, over a corpus, one
JSONL row per issuer and pair of consecutive years (`panel_rows`).
"""
from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .model import Cell
from .template import CELLS

Record = dict[str, Any]
_ORDER = {c.id: i for i, c in enumerate(CELLS)}
REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


def load_records(path: str | Path) -> list[Record]:
    """Records from a JSON / JSONL file of records; any other file is parsed, a directory walked."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES
                       and not any(part.startswith(".") for part in p.parts))
        return [r for f in files for r in load_records(f)]
    if path.suffix in (".json", ".jsonl"):
        text = path.read_text(encoding="utf-8").strip()
        try:
            records = [json.loads(text)] if text.startswith("{") and "\n{" not in text else \
                [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            records = []
        if records and all(isinstance(r, dict) and "cells" in r for r in records):
            return records
    from .pipeline import parse_safely

    return [parse_safely(path).to_json()]


def _value(record: Record, cid: str) -> float | int | None:
    cell = record.get("cells", {}).get(cid)
    return cell.get("value") if cell else None


def _identities(record: Record) -> dict[str, Any]:
    from .cells.validate import check_identities

    cells = {cid: Cell(cid, c.get("value")) for cid, c in record.get("cells", {}).items()}
    ok, bad = check_identities(cells)
    return {"satisfied": len(ok), "violated": [i.name for i in bad]}


def _themes(record: Record) -> dict[str, int]:
    counts = Counter(t for p in record.get("paragraphs", []) for t in p.get("themes", []))
    return dict(sorted(counts.items()))


def _side(record: Record) -> dict[str, Any]:
    meta = record.get("meta", {})
    keep = ("issuer", "year", "template", "status")
    return {"source": record.get("source"), "meta": {k: meta.get(k) for k in keep if k in meta}}


def cell_rows(a: Record, b: Record) -> list[dict[str, Any]]:
    ids = sorted(set(a.get("cells", {})) | set(b.get("cells", {})), key=lambda c: _ORDER.get(c, len(_ORDER)))
    rows = []
    for cid in ids:
        va, vb = _value(a, cid), _value(b, cid)
        change = vb - va if isinstance(va, (int, float)) and isinstance(vb, (int, float)) else None
        if isinstance(change, float):
            change = round(change, 6)
        pct = round(100.0 * change / va, 1) if change is not None and va else None
        rows.append({"id": cid, "a": va, "b": vb, "change": change, "pct": pct})
    return rows


def comparison(a: Record, b: Record) -> dict[str, Any]:
    """The JSON of `compare --json`: {a, b, cells, identities, facts, themes}."""
    return {
        "a": _side(a), "b": _side(b),
        "cells": cell_rows(a, b),
        "identities": {"a": _identities(a), "b": _identities(b)},
        "facts": {"a": a.get("facts", []), "b": b.get("facts", [])},
        "themes": {"a": _themes(a), "b": _themes(b)},
    }


def _largest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["change"] is None, -abs(r["change"] or 0), _ORDER.get(r["id"], 0)))


def _fmt(v: Any) -> str:
    return "—" if v is None else str(v)


def _label(side: dict[str, Any]) -> str:
    meta = side["meta"]
    who = " ".join(str(meta[k]) for k in ("issuer", "year") if meta.get(k))
    return who or Path(str(side["source"])).name


def render_text(comp: dict[str, Any], changed_only: bool = False) -> str:
    """The terminal view: rich tables when rich is installed, plain columns otherwise."""
    rows = [r for r in comp["cells"] if not changed_only or r["change"]]
    la, lb = _label(comp["a"]), _label(comp["b"])
    facts = {k: [f"line {f['line']}: {f['text']} → {'/'.join(f['cells'][:2])}{'…' if len(f['cells']) > 2 else ''}"
                 f" ({'agrees' if f['agrees'] else 'DISAGREES' if f['agrees'] is False else 'unchecked'})"
                 for f in comp["facts"][k]] for k in ("a", "b")}
    ids = comp["identities"]
    summary = [f"identities  A: {ids['a']['satisfied']} satisfied, {len(ids['a']['violated'])} violated"
               f"   B: {ids['b']['satisfied']} satisfied, {len(ids['b']['violated'])} violated",
               f"themes      A: {', '.join(comp['themes']['a']) or '—'}",
               f"            B: {', '.join(comp['themes']['b']) or '—'}"]
    try:
        from io import StringIO

        from rich.console import Console
        from rich.table import Table
    except ImportError:
        lines = [f"A: {la}   B: {lb}", f"{'cell':40} {'A':>10} {'B':>10} {'change':>10} {'pct':>8}"]
        lines += [f"{r['id']:40} {_fmt(r['a']):>10} {_fmt(r['b']):>10} {_fmt(r['change']):>10} "
                  f"{'' if r['pct'] is None else str(r['pct']) + '%':>8}" for r in rows]
        lines += summary
        for k, name in (("a", "A"), ("b", "B")):
            lines.append(f"facts {name}:")
            lines += [f"  {f}" for f in facts[k]] or ["  —"]
        return "\n".join(lines) + "\n"
    buf = StringIO()
    console = Console(file=buf, width=120, force_terminal=False, color_system=None)
    table = Table(title=f"A: {la}   B: {lb}")
    for col, just in (("cell", "left"), ("A", "right"), ("B", "right"), ("change", "right"), ("pct", "right")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for r in rows:
        table.add_row(r["id"], _fmt(r["a"]), _fmt(r["b"]), _fmt(r["change"]),
                      "" if r["pct"] is None else f"{r['pct']}%")
    console.print(table)
    for line in summary:
        console.print(line, markup=False)
    for k, name in (("a", "A"), ("b", "B")):
        console.print(f"facts {name}:", markup=False)
        for f in facts[k] or ["—"]:
            console.print(f"  {f}", markup=False)
    return buf.getvalue()


def render_html(comp: dict[str, Any]) -> str:
    """One self-contained page: inline style, no scripts, nothing fetched; largest changes first."""
    e = html.escape
    la, lb = e(_label(comp["a"])), e(_label(comp["b"]))
    rows = "".join(
        f"<tr><td>{e(r['id'])}</td><td>{e(_fmt(r['a']))}</td><td>{e(_fmt(r['b']))}</td>"
        f"<td>{e(_fmt(r['change']))}</td><td>{'' if r['pct'] is None else e(str(r['pct'])) + '%'}</td></tr>"
        for r in _largest_first(comp["cells"]))

    def fact_list(key: str) -> str:
        items = "".join(f"<li>line {f['line']}: {e(f['text'])} → {e(', '.join(f['cells']))} "
                        f"<b>{'agrees' if f['agrees'] else 'disagrees' if f['agrees'] is False else 'unchecked'}</b></li>"
                        for f in comp["facts"][key])
        return f"<ul>{items}</ul>" if items else "<p>none</p>"

    ids = comp["identities"]
    themes = {k: e(", ".join(f"{t} ({n})" for t, n in comp["themes"][k].items()) or "none") for k in ("a", "b")}
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>compare: {la} / {lb}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 8px;text-align:right}}td:first-child{{text-align:left}}</style></head>
<body><h1>A: {la} &nbsp; B: {lb}</h1>
<p>A: {e(str(comp['a']['source']))}<br>B: {e(str(comp['b']['source']))}</p>
<h2>Identities</h2><p>A: {ids['a']['satisfied']} satisfied, violated: {e(', '.join(ids['a']['violated']) or 'none')}<br>
B: {ids['b']['satisfied']} satisfied, violated: {e(', '.join(ids['b']['violated']) or 'none')}</p>
<h2>Cells, largest changes first</h2>
<table><tr><th>cell</th><th>A</th><th>B</th><th>change</th><th>pct</th></tr>{rows}</table>
<h2>Facts A</h2>{fact_list('a')}<h2>Facts B</h2>{fact_list('b')}
<h2>Themes</h2><p>A: {themes['a']}<br>B: {themes['b']}</p>
</body></html>
"""


def panel_rows(records: Iterable[Record]) -> list[dict[str, Any]]:
    """One row per issuer and pair of consecutive years it reports: the comparison plus issuer and years.
    Records without an issuer or a year are left out (no pair can be told)."""
    by_issuer: dict[str, dict[int, Record]] = {}
    for r in records:
        meta = r.get("meta", {})
        if meta.get("issuer") and isinstance(meta.get("year"), int):
            by_issuer.setdefault(meta["issuer"], {})[meta["year"]] = r
    rows = []
    for issuer in sorted(by_issuer):
        years = sorted(by_issuer[issuer])
        for ya, yb in zip(years, years[1:]):
            rows.append({"issuer": issuer, "year_a": ya, "year_b": yb,
                         **comparison(by_issuer[issuer][ya], by_issuer[issuer][yb])})
    return rows
