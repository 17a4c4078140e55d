"""A self-contained HTML evaluation report: one file, plots embedded as base64 PNG, no scripts, no CDN.

    from gazette_nlp.evaluate import evaluate_records, load_golds
    from gazette_nlp.report_html import write_html
    write_html("report.html", evaluate_records(records, load_golds(gold)), corruption=None)

Sections (each a `<section id=...>`): summary, line-confusion, cells-by-table, cells-by-corruption,
wrong-cells, reliability, themes. `corruption` is the result of `training.eval_cells.evaluate` (see
`gazette_nlp.evaluate.evaluate_corruptions`); without it that section says how to get it.

matplotlib is an optional dependency (`pip install -e '.[html]'`): parsing never needs it, so the core install
stays lean; without it `write_html` raises `PlotsUnavailableError`. Figures are drawn on `matplotlib.figure.Figure`
with the Agg canvas directly, never through pyplot, so a caller's (a notebook's) backend is left as it was.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import io
from pathlib import Path
from typing import Any

from .errors import GazetteError
from .evaluate import reliability
from .model import LINE_LABELS

SECTIONS = ("summary", "line-confusion", "cells-by-table", "cells-by-corruption", "wrong-cells", "reliability",
            "themes")
ALIGNER_ORDER = ("combined", "tagger", "rules", "baseline")
MAX_ROWS = 2000  # wrong / extra cells listed on the page
COLOURS = {"combined": "#8172b2", "tagger": "#4c72b0", "rules": "#55a868", "baseline": "#c44e52"}


class PlotsUnavailableError(GazetteError):
    """matplotlib, which draws the report's plots, is not installed."""


def check_plots() -> None:
    """Raise `PlotsUnavailableError` now when matplotlib is missing (callers check before long work)."""
    _figure(1, 1)


def _figure(width: float, height: float) -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise PlotsUnavailableError("the HTML report needs matplotlib: pip install -e '.[html]'") from None
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Any, alt: str) -> str:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v))


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    return f"{v:.4f}" if isinstance(v, float) else _e(v)


def _table(head: list[str], rows: list[list[Any]], attrs: list[str] | None = None, cls: str = "") -> str:
    out = [f'<table class="{cls}"><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>"]
    for k, row in enumerate(rows):
        a = f" {attrs[k]}" if attrs else ""
        out.append(f"<tr{a}>" + "".join(f"<td>{_fmt(v)}</td>" for v in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


# ------------------------------------------------------------------ sections
def _summary(result: dict[str, Any], corruption: dict[str, Any] | None) -> str:
    keys = ("reports", "missing_reports", "cells", "cell_accuracy", "reports_all_cells_ok", "extra_cells", "lines",
            "line_accuracy", "line_macro_f1", "theme_micro_f1", "paragraph_exact_match")
    rows = [[k, result.get(k)] for k in keys]
    if corruption:
        n = sum(v["reports"] for k, v in corruption.items() if not k.startswith("_"))
        rows.append(["synthetic reports (per corruption type)", n])
    return _table(["metric", "value"], rows, cls="summary")


def _line_confusion(result: dict[str, Any]) -> str:
    matrix = result.get("line_confusion_matrix") or {}
    golds = [lab for lab in LINE_LABELS if lab in matrix] + sorted(set(matrix) - set(LINE_LABELS))
    preds = list(LINE_LABELS) + sorted({o for r in matrix.values() for o in r} - set(LINE_LABELS))
    counts = [[matrix.get(g, {}).get(p, 0) for p in preds] for g in golds]
    body = ""
    if golds:
        fig = _figure(1.4 + 1.1 * len(preds), 1.0 + 0.7 * len(golds))
        ax = fig.subplots()
        # row-normalised colours, so a rare label's errors show as clearly as a common one's; counts printed
        shares = [[c / max(1, sum(row)) for c in row] for row in counts]
        ax.imshow(shares, cmap="Blues", vmin=0, vmax=1, aspect="auto")
        for i, row in enumerate(counts):
            for j, c in enumerate(row):
                ax.text(j, i, str(c), ha="center", va="center", color="white" if shares[i][j] > 0.6 else "black")
        ax.set_xticks(range(len(preds)), preds, rotation=30, ha="right")
        ax.set_yticks(range(len(golds)), golds)
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        ax.set_title("Line labels: confusion (colour = share of the gold row)")
        body += _png(fig, "line label confusion matrix")
    body += _table(["gold \\ predicted"] + preds, [[g] + row for g, row in zip(golds, counts)], cls="confusion")
    f1 = result.get("line_f1") or {}
    body += _table(["label", "F1"], [[k, v] for k, v in f1.items()] + [["macro", result.get("line_macro_f1")]])
    return body


def _cells_by_table(result: dict[str, Any]) -> str:
    by = result.get("cell_accuracy_by_table") or {}
    if not by:
        return "<p>No gold cells.</p>"
    fig = _figure(5.0, 2.8)
    ax = fig.subplots()
    names = list(by)
    accs = [by[t]["accuracy"] or 0.0 for t in names]
    bars = ax.bar(names, accs, color="#4c72b0")
    ax.bar_label(bars, [f"{a:.3f}" for a in accs])
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("cell accuracy")
    ax.set_title("Cell accuracy by table")
    return _png(fig, "cell accuracy by table") + _table(
        ["table", "gold cells", "right", "accuracy"], [[t, v["cells"], v["right"], v["accuracy"]] for t, v in by.items()])


def _cells_by_corruption(corruption: dict[str, Any] | None) -> str:
    if not corruption:
        return ("<p class=\"note\">Not computed. Synthetic reports with each corruption type forced give this: "
                "<code>gazette-nlp evaluate --gold DIR --html OUT --synthetic N</code> (N reports per type; needs "
                "the repository's <code>training/</code> code).</p>")
    sets = [k for k in corruption if not k.startswith("_")]
    present = {a for k in sets for a in corruption[k] if isinstance(corruption[k][a], dict)}
    names = [a for a in ALIGNER_ORDER if a in present] + sorted(present - set(ALIGNER_ORDER))
    fig = _figure(8.0, 1.2 + 0.3 * len(sets) * max(1, len(names)) / 1.5)
    ax = fig.subplots()
    height = 0.8 / max(1, len(names))
    for j, a in enumerate(names):
        ys = [i + (j - (len(names) - 1) / 2) * height for i in range(len(sets))]
        accs = [corruption[s][a]["accuracy"] if corruption[s][a]["accuracy"] is not None else 0.0 for s in sets]
        ax.barh(ys, accs, height=height, label=a, color=COLOURS.get(a))
    ax.set_yticks(range(len(sets)), sets)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.0)
    ax.set_xlabel("cell accuracy (all gold cells)")
    ax.set_title("Cell accuracy by corruption type (synthetic held-out reports)")
    ax.legend(loc="lower left")
    head = ["set", "reports", "cells"] + [f"{a} {m}" for a in names for m in
                                          ("accuracy", "non-zero", "all ok", "silent errors", "extra")]
    rows = []
    for s in sets:
        row: list[Any] = [s, corruption[s]["reports"], corruption[s]["cells"]]
        for a in names:
            m = corruption[s][a]
            row += [m["accuracy"], m["accuracy_nonzero"], m["reports_all_ok"], m["silent_errors"], m["extra_cells"]]
        rows.append(row)
    speed = corruption.get("_speed_reports_per_s") or {}
    note = ("<p>Silent errors: wrong output cells with confidence ≥ 0.9 that no issue names. A set with 0 reports: "
            "the generator could not apply that corruption to any of the drawn reports. Cell-stage speed "
            "(reports/s, one core): " + _e(", ".join(f"{a} {v}" for a, v in speed.items())) + "</p>")
    return _png(fig, "cell accuracy by corruption type") + note + _table(head, rows, cls="corruption")


def _wrong_cells(details: list[dict[str, Any]]) -> str:
    wrong = [d for d in details if not d["right"] and not d.get("extra")]
    extra = [d for d in details if d.get("extra")]
    head = ["report", "cell", "gold", "output", "line", "confidence", "origin", "line text"]

    def rows(ds: list[dict[str, Any]]) -> tuple[list[list[Any]], list[str]]:
        return ([[d["report"], d["cell"], "–" if d.get("extra") else ("null" if d["gold"] is None else d["gold"]),
                  "absent" if d["absent"] else ("null" if d["output"] is None else d["output"]), d["line"],
                  d["confidence"], d["origin"], (d.get("line_text") or "")[:80]] for d in ds],
                [f'data-report="{_e(d["report"])}" data-cell="{_e(d["cell"])}"' for d in ds])

    def listed(ds: list[dict[str, Any]], cls: str) -> str:
        # a bad run over a large gold set can miss thousands of cells: the page lists the first MAX_ROWS
        more = f"<p class=\"note\">{len(ds) - MAX_ROWS} more not listed (all in --json).</p>" \
            if len(ds) > MAX_ROWS else ""
        return (_table(head, *rows(ds[:MAX_ROWS]), cls=cls) + more) if ds else ""

    return (f"<p>{len(wrong)} wrong gold cell(s) (a wrong value, or absent from the output).</p>"
            + listed(wrong, "wrong")
            + f"<p>{len(extra)} extra cell(s): a non-null output cell the gold does not have.</p>"
            + listed(extra, "extra"))


def _reliability(details: list[dict[str, Any]]) -> str:
    bins = reliability(details)
    used = [b for b in bins if b["n"]]
    if not used:
        return "<p>No output cells with a confidence.</p>"
    fig = _figure(5.5, 5.0)
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    width = bins[0]["hi"] - bins[0]["lo"]
    top.plot([0, 1], [0, 1], ls="--", color="grey", label="perfectly calibrated")
    top.bar([b["lo"] for b in used], [b["accuracy"] for b in used], width=width, align="edge",
            color="#4c72b0", edgecolor="white", label="accuracy in the bin")
    top.plot([b["mean_confidence"] for b in used], [b["accuracy"] for b in used], "o", color="#c44e52",
             label="(mean confidence, accuracy)")
    top.set_ylim(0, 1.05)
    top.set_ylabel("accuracy")
    top.set_title("Cells: confidence vs accuracy")
    top.legend(loc="upper left", fontsize="small")
    bottom.bar([b["lo"] for b in bins], [b["n"] for b in bins], width=width, align="edge", color="#8c8c8c")
    bottom.set_yscale("symlog")
    bottom.set_xlim(0, 1)
    bottom.set_xlabel("confidence")
    bottom.set_ylabel("cells")
    return _png(fig, "reliability diagram") + _table(
        ["confidence bin", "cells", "mean confidence", "accuracy"],
        [[f"{b['lo']:.1f}–{b['hi']:.1f}", b["n"], b["mean_confidence"], b["accuracy"]] for b in used])


def _themes(result: dict[str, Any]) -> str:
    per = result.get("theme_f1") or {}
    if not per:
        return "<p>No themed gold paragraphs.</p>"
    fig = _figure(6.5, 0.9 + 0.35 * len(per))
    ax = fig.subplots()
    names = list(per)
    ax.barh(names, [per[t]["f1"] for t in names], color="#55a868")
    for i, t in enumerate(names):
        ax.text(per[t]["f1"] + 0.01, i, f"{per[t]['f1']:.2f} (n={per[t]['support']})", va="center")
    ax.invert_yaxis()
    ax.set_xlim(0, 1.3)  # room for the labels right of a full bar
    ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_xlabel("F1")
    ax.set_title(f"Paragraph themes: F1 per theme (micro-F1 {_fmt(result.get('theme_micro_f1'))})")
    return _png(fig, "per-theme F1") + _table(
        ["theme", "precision", "recall", "F1", "support"],
        [[t, v["precision"], v["recall"], v["f1"], v["support"]] for t, v in per.items()])


# ------------------------------------------------------------------ the page
CSS = """body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.2em .5em;
text-align:left}th{background:#f3f3f3}img{max-width:100%;display:block;margin:.5em 0}
section{margin-bottom:2.5em}.note{color:#666}code{background:#f3f3f3;padding:0 .2em}"""

TITLES = {"summary": "Summary", "line-confusion": "Lines: confusion matrix and per-label F1",
          "cells-by-table": "Cells: accuracy by table", "cells-by-corruption": "Cells: accuracy by corruption type",
          "wrong-cells": "Wrong cells", "reliability": "Cells: reliability diagram", "themes": "Themes: F1 per theme"}


def build_html(result: dict[str, Any], corruption: dict[str, Any] | None = None,
               title: str = "gazette_nlp evaluation", source: str | None = None) -> str:
    """The report as one HTML string. `result`: `evaluate_records(...)`; `corruption`: per-corruption results."""
    details = result.get("cell_details")
    if details is None:
        raise GazetteError("the evaluation result has no cell_details: make it with gazette_nlp.evaluate."
                           "evaluate_records")
    parts = {
        "summary": _summary(result, corruption),
        "line-confusion": _line_confusion(result),
        "cells-by-table": _cells_by_table(result),
        "cells-by-corruption": _cells_by_corruption(corruption),
        "wrong-cells": _wrong_cells(details),
        "reliability": _reliability(details),
        "themes": _themes(result),
    }
    made = f"made {dt.datetime.now().isoformat(timespec='seconds')}" + (f" from {_e(source)}" if source else "")
    nav = " · ".join(f'<a href="#{k}">{_e(TITLES[k])}</a>' for k in SECTIONS)
    body = "".join(f'<section id="{k}"><h2>{_e(TITLES[k])}</h2>{parts[k]}</section>' for k in SECTIONS)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{_e(title)}</h1><p class=\"note\">{made}</p>"
            f"<nav>{nav}</nav>{body}</body></html>\n")


def write_html(path: str | Path, result: dict[str, Any], corruption: dict[str, Any] | None = None,
               title: str = "gazette_nlp evaluation", source: str | None = None) -> Path:
    """Write `build_html(...)` to `path` (UTF-8) and return the path."""
    out = Path(path)
    text = build_html(result, corruption, title=title, source=source)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as e:
        raise GazetteError(f"cannot write {out}: {e.strerror or e}") from None
    return out
