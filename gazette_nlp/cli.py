"""`gazette-nlp`: parse / train / evaluate. Thin: arguments, progress, exit codes; the work lives in the library.

Every error a user can cause ends as one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GazetteError, InputError, MissingDependencyError, OutputError

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE = 0, 1, 2


def _err(msg: str) -> None:
    print(f"gazette-nlp: {msg}", file=sys.stderr)


def _progress(total: int, quiet: bool, desc: str):
    if quiet:
        return None
    from tqdm import tqdm

    # disable=None: a bar on a terminal, nothing in a log file
    return tqdm(total=total, desc=desc, unit="report", file=sys.stderr, dynamic_ncols=True, leave=False, disable=None)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


# ---------------------------------------------------------------- parse
@dataclass
class RunTally:
    """What the closing summary says: files, failures, cells, issues by kind, bugs, time."""

    files: int = 0
    failed: int = 0
    cells_read: int = 0
    cells_blank: int = 0
    cells_absent: int = 0
    issues: Counter = field(default_factory=Counter)
    bugs: list[tuple[str, str]] = field(default_factory=list)  # (source, traceback)

    def add(self, item) -> None:
        self.files += 1
        if item.traceback:
            self.bugs.append((item.source, item.traceback))
        if item.status != "ok":
            self.failed += 1
            return
        self.cells_read += item.cells.read
        self.cells_blank += item.cells.blank
        self.cells_absent += item.cells.absent
        self.issues.update(item.issue_kinds)


def closing_summary(t: RunTally, seconds: float, skipped: list, bug_log: str | None) -> str:
    from .batch import plural

    parsed = t.files - t.failed
    head = f"{plural(t.files, 'file')} in {seconds:.1f} s: {parsed} parsed"
    if t.failed:
        head += f", {t.failed} of {plural(t.files, 'file')} failed"
    parts = [head]
    if parsed:
        cells = f"{t.cells_read} cells read" + (f" ({t.cells_blank} printed blank)" if t.cells_blank else "")
        parts.append(f"{cells}, {t.cells_absent} absent")
        kinds = ", ".join(f"{n} {k}" for k, n in t.issues.most_common())
        parts.append(f"issues: {kinds}" if kinds else "no issues")
    if t.bugs:
        where = bug_log or "meta.traceback of their records"
        parts.append(f"{plural(len(t.bugs), 'file')} hit a bug (please report it): tracebacks in {where}")
    if skipped:
        shown = "; ".join(f"{s.path} ({s.reason})" for s in skipped[:10])
        more = f"; and {len(skipped) - 10} more" if len(skipped) > 10 else ""
        parts.append(f"{len(skipped)} skipped: {shown}{more}")
    return "; ".join(parts)


def _load_message(args: argparse.Namespace) -> str:
    if args.engine == "dask":
        where = f"the Dask cluster at {args.scheduler}" if args.scheduler else f"a local Dask cluster of {args.workers}"
        return f"starting {where}; each worker loads the models (line classifier, cell tagger, themes) …"
    if args.workers > 1:
        return f"starting {args.workers} worker processes; each loads the models (line classifier, cell tagger, themes) …"
    return "loading the models (line classifier, cell tagger, themes) …"


def cmd_parse(args: argparse.Namespace) -> int:
    from .batch import run_batch
    from .inputs import walk_inputs
    from .outputs import PanelWriter, check_output, completed_sources

    kind = check_output(args.out, args.cells_long) if args.out else None
    if args.cells_long and kind != "panel":
        raise OutputError("--cells-long writes a panel: give --out a .csv or .parquet path")
    if args.resume and kind != "jsonl":
        raise OutputError("--resume needs a .jsonl --out file")
    inputs = walk_inputs(args.inputs)
    paths = inputs.paths
    if not paths:
        skipped = "; ".join(f"{s.path} ({s.reason})" for s in inputs.skipped[:5])
        _err("no input files" + (f"; skipped {skipped}" if skipped else ""))
        return EXIT_USAGE
    if args.resume:
        done = completed_sources(args.out)
        paths = [p for p in paths if p not in done]
    panel = PanelWriter(args.out, long=args.cells_long) if kind == "panel" else None
    out = (open(args.out, "a" if args.resume else "w", encoding="utf-8") if kind == "jsonl"
           else nullcontext(None) if panel else nullcontext(sys.stdout))
    summary_to = sys.stdout if args.out else sys.stderr
    tally, bar, started = RunTally(), None, time.monotonic()
    show_bar = not args.quiet and len(paths) > 1
    if not args.quiet and sys.stderr.isatty():  # chatter for a person at a terminal, like the bar; not for logs
        _err(_load_message(args))
    with out as fh:
        if args.engine == "dask":
            from .batch import run_dask

            done = run_dask(paths, scheduler=args.scheduler, workers=args.workers, skip=tuple(args.skip),
                            as_written=True, cells_long=args.cells_long, max_chars=args.max_chars)
        else:
            pipeline = None
            if args.workers <= 1:
                from .batch import use_one_thread
                from .pipeline import Pipeline, default_pipeline

                use_one_thread()  # --workers N means N cores: one compute thread per worker, this one too
                pipeline = Pipeline(skip=args.skip) if args.skip else default_pipeline()  # loaded before the bar
            done = run_batch(paths, workers=args.workers, skip=tuple(args.skip), as_written=True,
                             pipeline=pipeline, cells_long=args.cells_long, max_chars=args.max_chars)
        for item in done:
            if bar is None and show_bar:  # the bar appears with the first result, not while models load
                bar = _progress(len(paths), False, "parse")
            tally.add(item)
            if fh is not None:
                fh.write(item.record + "\n")
                fh.flush()  # whole records only: a killed batch resumes from the last complete line
            if panel is not None:
                panel.add(item.long_rows if args.cells_long else item.row)
            if item.status != "ok":  # its one line: the error, not also a summary repeating it
                line = f"{item.source}: {item.error}: {item.message}"
                bar.write(f"gazette-nlp: {line}", file=sys.stderr) if bar is not None else _err(line)
            elif not args.quiet and not args.no_summary:
                (bar.write(item.summary, file=summary_to) if bar is not None else print(item.summary, file=summary_to))
            if bar is not None:
                bar.update(1)
                bar.set_postfix(failed=tally.failed)
    if panel is not None:
        panel.close()
    if bar is not None:
        bar.close()
    bug_log = _write_bug_log(args.out, tally.bugs) if tally.bugs and kind == "panel" else None
    if len(paths) > 1 or inputs.skipped or tally.bugs:  # one file: its own line is the summary
        if not args.quiet or tally.failed or inputs.skipped:
            line = closing_summary(tally, time.monotonic() - started, inputs.skipped, bug_log)
            print(line, file=sys.stderr if tally.failed else summary_to)
    if tally.failed:
        return EXIT_FAILED_FILES if len(paths) > 1 else EXIT_USAGE
    return EXIT_OK


def _check_writable(path: str | None) -> None:
    """An output file's directory exists and the path is not a directory: an `OutputError` now, not after the work."""
    if not path:
        return
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{p}: directory {parent} does not exist")
    if p.is_dir():
        raise OutputError(f"{p} is a directory")


def _write_bug_log(out: str, bugs: list[tuple[str, str]]) -> str:
    """A panel has no record to carry a traceback: they go to a log file beside it."""
    log = Path(out).with_name(Path(out).name + ".errors.log")
    log.write_text("".join(f"== {src}\n{tb}\n" for src, tb in bugs), encoding="utf-8")
    return str(log)


# ---------------------------------------------------------------- train
def _training_module(name: str):
    import importlib

    # `training` is a package of the install (pyproject); parsing never imports it
    try:
        return importlib.import_module(f"training.{name}")
    except ModuleNotFoundError as e:
        raise GazetteError(f"training code not found ({e}); reinstall gazette-nlp") from None


def cmd_train(args: argparse.Namespace) -> int:
    if args.component == "lines":
        mod = _training_module("train_lines")
        metrics = mod.train_lines(data=args.data, synthetic=args.synthetic, seed=args.seed, out_dir=args.out,
                                  exclude=set(args.exclude or ()))
    elif args.component == "themes":
        mod = _training_module("train_themes")
        extra = {} if args.synthetic is None else {"synthetic": args.synthetic}
        metrics = mod.train_themes(args.data, args.out or "models/theme_classifier",
                                   exclude_ids=set(args.exclude or ()), seed=args.seed, **extra)
    elif args.component == "cells":
        mod = _training_module("train_cells")
        metrics = mod.train_cells(data=args.data, synthetic=args.synthetic, seed=args.seed, out_dir=args.out,
                                  epochs=args.epochs, time_limit=args.time_limit)
    else:  # argparse restricts choices; kept for clarity
        raise GazetteError(f"unknown component {args.component}")
    print(json.dumps(metrics, ensure_ascii=False, indent=2))
    return EXIT_OK


# ---------------------------------------------------------------- evaluate
def _evaluate_scans(args: argparse.Namespace) -> dict:
    """Cells of the scan route by degradation level: each PDF of `--scans` (with its gold JSON beside it) scanned by
    training/scans/degrade.py at each level and seed, parsed, scored."""
    folder = Path(args.scans)
    try:
        from training.scans.eval_scans import run as run_scans
    except ImportError as e:
        raise MissingDependencyError(f"--scans needs the training package and the ocr extra: {e}") from None
    res = run_scans(folder, args.scan_levels, args.scan_seeds, None)["by_level"]
    print(f"{'level':<9}{'cells':>12}{'accuracy':>10}{'wrong ≥0.9':>12}{'CPU s/page':>12}")
    for level, r in res.items():
        print(f"{level:<9}{r['right']:>6}/{r['of']:<5}{r['accuracy']:>10.4f}{r['confident_wrong']:>12}"
              f"{r['cpu_s_per_page']:>12.2f}")
    return res


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .annotations import default_text_dirs, find_text
    from .evaluate import evaluate_records, load_golds, load_records, unmatched_golds
    from .pipeline import Pipeline
    from .readers.text import read_text

    for path in (args.json, args.html):
        _check_writable(path)  # before the work, as for parse --out
    if args.scans and (not Path(args.scans).is_dir() or not any(Path(args.scans).glob("*.pdf"))):
        raise InputError(f"--scans {args.scans}: no folder of PDFs with their gold JSON beside them")
    if args.html:
        from .report_html import check_plots

        check_plots()  # before the work: a missing matplotlib is a one-line error up front
    golds = load_golds(args.gold)
    if args.pred:
        records = load_records(args.pred)
        missing = unmatched_golds(records, golds)  # none matching at all is an error
        if missing:
            _err(f"{len(missing)} gold report(s) without a prediction, scored as wrong: "
                 + ", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""))
    else:
        pipe = Pipeline()
        dirs = [Path(d) for d in args.text_dir or ()] + default_text_dirs(args.gold)
        records = []
        for g in golds:
            report = read_text(find_text(g, dirs), source=g.get("source") or g["id"])
            records.append(pipe(report).to_json())
    result = evaluate_records(records, golds)
    # cell_details (one entry per scored cell) is for --json and --html, too long for the terminal
    shown = {k: v for k, v in result.items() if k not in ("wrong_cells", "cell_details")}
    shown["wrong_cells_sample"] = result["wrong_cells"][:15]
    for k, v in shown.items():
        print(f"{k}: {json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v}")
    corruption = None
    if args.synthetic:
        from .evaluate import corruption_table, evaluate_corruptions

        corruption = evaluate_corruptions(args.synthetic)
        result["by_corruption"] = corruption
        print(corruption_table(corruption))
    if args.scans:
        result["by_scan_level"] = _evaluate_scans(args)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.html:
        from .report_html import write_html

        out = write_html(args.html, result, corruption, source=args.pred or args.gold)
        print(f"html report: {out}")
    return EXIT_OK


# ---------------------------------------------------------------- annotate
def cmd_annotate(args: argparse.Namespace) -> int:
    from .annotate import annotation_draft
    from .pipeline import parse

    _check_writable(args.out)
    draft = annotation_draft(parse(args.input))
    text = json.dumps(draft, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        checks = sum(1 for n in draft["notes"] if n.startswith(("CHECK", "ISSUE")))
        print(f"{args.out}: {len(draft['lines'])} lines, {len(draft['cells'])} cells, "
              f"{len(draft['paragraphs'])} paragraphs; {checks} items marked for checking")
    else:
        sys.stdout.write(text)
    return EXIT_OK


# ---------------------------------------------------------------- main
def cmd_compare(args: argparse.Namespace) -> int:
    from . import compare as cmp

    for out in (args.json, args.html, args.panel):
        _check_writable(out)
    if args.panel:
        records = [r for path in args.inputs for r in cmp.load_records(path)]
        rows = cmp.panel_rows(records)
        with open(args.panel, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        print(f"{len(records)} records, {len(rows)} issuer x year pairs → {args.panel}")
        return EXIT_OK
    if len(args.inputs) != 2:
        _err("compare takes two records or files (A B), or --panel OUT with a corpus")
        return 2
    (a, *_), (b, *_) = (cmp.load_records(p) for p in args.inputs)
    comp = cmp.comparison(a, b)
    if args.json:
        Path(args.json).write_text(json.dumps(comp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.html:
        Path(args.html).write_text(cmp.render_html(comp), encoding="utf-8")
    if not args.quiet:
        sys.stdout.write(cmp.render_text(comp, changed_only=args.changed))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gazette-nlp", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    pp = sub.add_parser("parse", help="parse report texts into JSON records (JSONL)")
    pp.add_argument("inputs", nargs="+", help="files, directories (walked by content), globs, or - for a list of paths on stdin")
    pp.add_argument("-o", "--out", help="output: .jsonl records, or a .csv/.parquet panel (default: JSONL on stdout)")
    pp.add_argument("--cells-long", action="store_true",
                    help="with a .csv/.parquet --out: one row per report x cell (value, status read/inferred/blank/"
                         "absent, origin, confidence, line, raw) instead of one row per report")
    pp.add_argument("-w", "--workers", type=_positive, default=1, help="worker processes, one core each (default 1)")
    pp.add_argument("--max-chars", type=_positive, default=None, metavar="N",
                    help="refuse a text longer than N characters (default 2,000,000; a report is under 200,000)")
    pp.add_argument("-q", "--quiet", action="store_true", help="no bar, no per-report lines: only the failed files' lines and, if any failed or was skipped, "
                         "the closing line")
    pp.add_argument("--no-summary", action="store_true", help="no per-report summary lines")
    pp.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="local worker processes, or a dask.distributed cluster")
    pp.add_argument("--scheduler", help="Dask scheduler address (default: a LocalCluster of --workers processes)")
    pp.add_argument("--skip", nargs="*", default=(), metavar="STAGE",
                    help="pipeline stages to leave out (e.g. theme_paragraphs)")
    pp.add_argument("--resume", action="store_true", help="skip inputs already in the --out JSONL (after a kill)")
    pp.set_defaults(func=cmd_parse)

    pt = sub.add_parser("train", help="retrain a component on annotated and/or synthetic data")
    pt.add_argument("component", choices=["lines", "themes", "cells"])
    pt.add_argument("--data", nargs="*", default=None, help="annotation dirs/files (gold format) or synthetic .jsonl")
    pt.add_argument("--synthetic", type=int, default=None, help="number of generated reports to add")
    pt.add_argument("--exclude", nargs="*", help="report ids to leave out (held-out evaluation)")
    pt.add_argument("--seed", type=int, default=0)
    pt.add_argument("--out", default=None, help="model directory (default: models/<component>)")
    pt.add_argument("--epochs", type=int, default=None, help="cells: passes over the training data")
    pt.add_argument("--time-limit", type=float, default=None, help="cells: stop training after this many seconds")
    pt.set_defaults(func=cmd_train)

    pe = sub.add_parser("evaluate", help="score predictions (or the pipeline) against gold annotations")
    pe.add_argument("--gold", required=True, help="directory of gold JSON files")
    pe.add_argument("--pred", help="JSONL of parse output; without it the pipeline parses the gold reports' texts")
    pe.add_argument("--text-dir", nargs="*", help="where the gold reports' texts are (default: next to the gold)")
    pe.add_argument("--json", help="also write the metrics as JSON here")
    pe.add_argument("--html", help="also write a self-contained HTML report (plots embedded) here")
    pe.add_argument("--synthetic", type=int, default=None, metavar="N",
                    help="also score the cell aligners on N generated reports per corruption type (needs the "
                         "repository's training/ code)")
    pe.add_argument("--scans", metavar="DIR", help="also score the scan route by degradation level on the PDFs of DIR "
                    "(gold JSON beside each; e.g. tests/fixtures/office), scanned by training/scans/degrade.py")
    pe.add_argument("--scan-levels", nargs="+", default=["light", "default", "heavy"],
                    choices=["light", "default", "heavy"], help="degradation levels for --scans")
    pe.add_argument("--scan-seeds", nargs="+", type=int, default=[4], help="degrader seeds for --scans")
    pe.set_defaults(func=cmd_evaluate)

    pa = sub.add_parser("annotate", help="write a pre-filled annotation draft (gold format) for a person to correct")
    pa.add_argument("input", help="a report text")
    pa.add_argument("-o", "--out", help="draft JSON path (default: stdout)")
    pa.set_defaults(func=cmd_annotate)

    pc = sub.add_parser("compare", help="two records side by side: cells with change and pct, identities, facts, "
                                        "themes; or --panel over a corpus")
    pc.add_argument("inputs", nargs="+", help="A B: records (.json/.jsonl) or report files; with --panel, a corpus")
    pc.add_argument("--json", help="write the comparison as JSON here")
    pc.add_argument("--html", help="write a self-contained HTML page here (largest changes first)")
    pc.add_argument("--panel", help="JSONL: one row per issuer x consecutive-year pair of the corpus")
    pc.add_argument("--changed", action="store_true", help="terminal: only the cells that changed")
    pc.add_argument("-q", "--quiet", action="store_true", help="no terminal table")
    pc.set_defaults(func=cmd_compare)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except GazetteError as e:
        _err(f"{type(e).__name__}: {e}")
        return e.exit_code
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
