"""`gazette-nlp`: parse / train / evaluate. Thin: arguments, progress, exit codes; the work lives in the library.

Every error a user can cause ends as one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path

from .errors import GazetteError

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE = 0, 1, 2


def _err(msg: str) -> None:
    print(f"gazette-nlp: {msg}", file=sys.stderr)


def _progress(total: int, quiet: bool, desc: str):
    if quiet:
        return None
    from tqdm import tqdm

    # disable=None: a bar on a terminal, nothing in a log file
    return tqdm(total=total, desc=desc, unit="report", file=sys.stderr, dynamic_ncols=True, leave=False, disable=None)


# ---------------------------------------------------------------- parse
def cmd_parse(args: argparse.Namespace) -> int:
    from .batch import PanelWriter, completed_sources, expand_inputs, run_batch

    paths = expand_inputs(args.inputs)
    if not paths:
        _err("no input files")
        return EXIT_USAGE
    panel = None
    jsonl_path = args.out
    if args.out and Path(args.out).suffix.lower() in (".csv", ".parquet"):
        panel, jsonl_path = PanelWriter(args.out), None
    if args.resume:
        if not jsonl_path:
            raise GazetteError("--resume needs a .jsonl --out file")
        done = completed_sources(jsonl_path)
        paths = [p for p in paths if p not in done]
    out = open(jsonl_path, "a" if args.resume else "w", encoding="utf-8") if jsonl_path else (
        nullcontext(None) if panel else nullcontext(sys.stdout))
    summary_to = sys.stdout if args.out else sys.stderr
    failed = 0
    bar = _progress(len(paths), args.quiet or len(paths) < 2, "parse")
    with out as fh:
        if args.engine == "dask":
            from .batch import run_dask

            done = run_dask(paths, scheduler=args.scheduler, workers=max(1, args.workers), skip=tuple(args.skip),
                            as_written=True)
        else:
            if args.workers <= 1:
                from .batch import use_one_thread

                use_one_thread()  # --workers N means N cores: one compute thread per worker, this one too
            done = run_batch(paths, workers=args.workers, skip=tuple(args.skip), as_written=True)
        for item in done:
            if fh is not None:
                fh.write(item.record + "\n")
                fh.flush()  # whole records only: a killed batch resumes from the last complete line
            if panel is not None:
                panel.add(item.row)
            if item.status != "ok":
                failed += 1
                _err(f"{item.source}: {item.error}: {item.message}")
            if not args.quiet and not args.no_summary:
                (bar.write(item.summary, file=summary_to) if bar is not None else print(item.summary, file=summary_to))
            if bar is not None:
                bar.update(1)
                bar.set_postfix(failed=failed)
    if panel is not None:
        panel.close()
    if bar is not None:
        bar.close()
    if failed:
        _err(f"{failed} of {len(paths)} file(s) failed")
        return EXIT_FAILED_FILES if len(paths) > 1 else EXIT_USAGE
    return EXIT_OK


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
def cmd_evaluate(args: argparse.Namespace) -> int:
    from .annotations import default_text_dirs, find_text
    from .evaluate import evaluate_records, load_golds, load_records
    from .pipeline import Pipeline
    from .readers.text import read_text

    if args.html:
        from .report_html import check_plots

        check_plots()  # before the work: a missing matplotlib is a one-line error up front
    golds = load_golds(args.gold)
    if args.pred:
        records = load_records(args.pred)
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
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gazette-nlp", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    pp = sub.add_parser("parse", help="parse report texts into JSON records (JSONL)")
    pp.add_argument("inputs", nargs="+", help="files, directories, globs, or - for a list of paths on stdin")
    pp.add_argument("-o", "--out", help="output: .jsonl records, or a .csv/.parquet panel (default: JSONL on stdout)")
    pp.add_argument("-w", "--workers", type=int, default=1, help="worker processes, one core each (default 1)")
    pp.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
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
    pe.set_defaults(func=cmd_evaluate)

    pa = sub.add_parser("annotate", help="write a pre-filled annotation draft (gold format) for a person to correct")
    pa.add_argument("input", help="a report text")
    pa.add_argument("-o", "--out", help="draft JSON path (default: stdout)")
    pa.set_defaults(func=cmd_annotate)
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
