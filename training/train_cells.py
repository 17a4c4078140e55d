"""Train the cell tagger: `python -m training.train_cells` or `gazette-nlp train cells`.

Data: synthetic reports from the generator (seeds `seed` … `seed + n - 1`, always below the held-out seeds
10_000_000+) and annotated reports: by default only training/annotations/pool, never ../shared/gold — the five
shared reports are the tagger's real-text test set, so the shipped model has not seen them (`--data` adds any
annotation dir or file, the shared gold included, for a model trained on everything).
Labels per printed number:

- synthetic: the generator records every cell's line and character span; the numbers of a line are matched
  to the cells of that line in order, by value. Numbers of rows that dropped a column (the generator's
  `inferred_cells`) are skipped by the loss: which column is missing cannot be seen in the text.
- annotated: the gold gives values, not positions. The rule-structured aligner (`align_cells`) proposes
  positions; a number is labelled with a cell only where the aligner's value equals the gold value, numbers of
  rows with an inferred cell are skipped, and a number the aligner left out is `O` only when every gold value
  was located (else skipped).

Metrics: tagging and cell accuracy on held-out synthetic reports (seeds ≥ 10_000_000), cell accuracy on the
annotated reports (seen in training), the vocabulary's UNK rate on the shared reports and the pool excerpts.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gazette_nlp import template as T
from gazette_nlp.cells.tagger import (IGNORE, LABEL_INDEX, O, CellTagger, Encoded, Features, build_vocab,
                                      unk_rate)
from gazette_nlp.model import Number, Report
from gazette_nlp.paths import model_path
from training.data import SHARED, annotated_records, synthetic_records, to_report

HELD_OUT_SEED = 10_000_000  # synthetic evaluation seeds start here; training seeds stay below
# small on purpose: 0.21 M parameters read a report in 11.5 ms on one core; a 3-layer, hidden-128 model (0.71 M)
# was no more accurate (held-out synthetic 0.9963 vs 0.9971) and 3× slower (35.1 ms, measured side by side)
MODEL = {"layers": 2, "hidden": 64, "heads": 2, "intermediate": 256}
DEFAULT_SYNTHETIC = 4000
DEFAULT_EPOCHS = 3
FIT = {"batch_size": 8, "lr": 3e-3, "drop_rows": 0.3}
# the generator's chances, raised for the corruptions that move numbers (see training.synth.PROBS): printed
# blanks, shifted labels, lost / glued rows and page numbers are rare in a natural draw but what the tagger
# must learn to read
TRAIN_PROBS = {"printed_blank": 0.3, "shifted_labels": 0.3, "lost_rows": 0.3, "glued_rows": 0.2, "page_breaks": 0.3,
               "dropped_column": 0.15, "truncated_end": 0.1, "template_2019": 0.1, "ocr_noise": 0.15}
DEFAULT_DATA = [str(Path(__file__).resolve().parent / "annotations" / "pool")]
REAL_REPEAT = 4  # annotated reports with table numbers are seen this many times per epoch

_ROW = {c.id: (c.table, c.row) for c in T.CELLS}


def _eq(a: Number | None, b: Number | None) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) < 1e-6


def _match(values: Sequence[Number | None], cells: Sequence[tuple[str, Number | None]]) -> list[tuple[int, int]]:
    """Longest in-order matching of a line's numbers to its cells by equal value: [(number k, cell k)]."""
    n, m = len(values), len(cells)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1],
                             best[i + 1][j + 1] + 1 if _eq(values[i], cells[j][1]) else 0)
    out, i, j = [], 0, 0
    while i < n and j < m:
        if _eq(values[i], cells[j][1]) and best[i][j] == best[i + 1][j + 1] + 1:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def _label_lines(feats: Features, cells_by_line: dict[int, list[tuple[str, Number | None]]],
                 skip_cells: set[str], o_ok: bool, stats: dict[str, int]) -> list[int]:
    """Labels of the numbers from the cells each line holds (in reading order). Numbers matched to a cell of
    `skip_cells`, and unmatched numbers on a line with unmatched cells (or anywhere, unless `o_ok`), are
    IGNORE; other unmatched numbers are O."""
    labels = [LABEL_INDEX[O]] * len(feats.tokens)
    tok_by_line: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(feats.tokens):
        tok_by_line[t.line].append(i)
    for n in sorted(set(cells_by_line) | set(tok_by_line)):
        idx, cl = tok_by_line.get(n, []), cells_by_line.get(n, [])
        pairs = _match([feats.tokens[i].value for i in idx], cl)
        free_t = [k for k in range(len(idx)) if k not in {a for a, _ in pairs}]
        free_c = [k for k in range(len(cl)) if k not in {b for _, b in pairs}]
        if free_c and len(free_t) == len(free_c):  # misread values (OCR): same count, same order
            pairs = sorted(pairs + list(zip(free_t, free_c)))
            free_t, free_c = [], []
        stats["cells_unlocated"] += len(free_c)
        stats["cells_located"] += len(pairs)
        for a, b in pairs:
            cid = cl[b][0]
            labels[idx[a]] = IGNORE if cid in skip_cells else LABEL_INDEX[cid]
        for a in free_t:
            labels[idx[a]] = LABEL_INDEX[O] if o_ok and not free_c else IGNORE
    return labels


def synthetic_labels(rec: dict[str, Any], feats: Features, stats: dict[str, int]) -> list[int]:
    by_line: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for cid, n in rec["cell_lines"].items():
        by_line[n].append((rec["cell_spans"][cid][0], cid))
    cells_by_line = {n: [(cid, rec["cells"][cid]) for _, cid in sorted(v)] for n, v in by_line.items()}
    dropped = {_ROW[c] for c in rec.get("inferred_cells") or ()}
    skip = {c for c in rec["cells"] if _ROW[c] in dropped}
    return _label_lines(feats, cells_by_line, skip, True, stats)


def gold_labels(rec: dict[str, Any], feats: Features, stats: dict[str, int]) -> list[int]:
    from gazette_nlp.cells import align_cells

    gold = rec["cells"]
    teacher = align_cells(to_report(rec)).cells
    inferred = {_ROW[c] for c, cell in teacher.items() if cell.origin == "inferred"}
    by_line: dict[int, list[tuple[int, str]]] = defaultdict(list)
    skip = set()
    for cid, cell in teacher.items():
        if cell.value is None or cell.origin == "inferred" or cell.line is None:
            continue
        by_line[cell.line].append((T.CELL_BY_ID[cid].index, cid))
        if _ROW[cid] in inferred or cid not in gold or not _eq(gold[cid], cell.value):
            skip.add(cid)
    located = {cid for v in by_line.values() for _, cid in v}
    lost = [c for c, v in gold.items() if v is not None and c not in located and _ROW[c] not in inferred]
    stats["gold_unlocated"] += len(lost)
    cells_by_line = {n: [(cid, teacher[cid].value) for _, cid in sorted(v)] for n, v in by_line.items()}
    return _label_lines(feats, cells_by_line, skip, not lost, stats)


def build_examples(tagger: CellTagger, records: Sequence[dict[str, Any]], stats: dict[str, int]) -> list[Encoded]:
    """Each record with table numbers as the tagger's compact training form (see the module docstring)."""
    out = []
    for rec in records:
        feats = tagger.features(to_report(rec))
        if not feats.tokens:
            continue
        labels = synthetic_labels(rec, feats, stats) if "cell_spans" in rec else gold_labels(rec, feats, stats)
        if any(y != IGNORE for y in labels):
            out.append(tagger.encoded(feats, labels))
    return out


def vocab_report(tagger: CellTagger) -> dict[str, Any]:
    """UNK rate of the table regions' label characters: the shared reports (in training) and the pool excerpts
    (never in training: their raw texts, annotated or not)."""
    from gazette_nlp.cells.tagger import features
    from gazette_nlp.readers.text import read_path

    out: dict[str, Any] = {"vocab_size": len(tagger.vocab_list)}
    for name, folder in (("shared_reports", SHARED / "reports"), ("pool_raw", SHARED / "pool" / "raw")):
        pieces: list[str] = []
        for p in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            try:
                pieces += tagger.features(read_path(p)).pieces
            except Exception:  # a pool excerpt that is not a readable report: not this metric's business
                continue
        out[f"unk_rate_{name}"] = round(unk_rate(pieces, tagger.vocab), 5)
    return out


def train_cells(data: list[str] | None = None, synthetic: int | None = None, seed: int = 0,
                out_dir: str | None = None, epochs: int | None = None, model: dict[str, Any] | None = None,
                held_out: int = 100, time_limit: float | None = None, save: bool = True,
                log: Any = None, **fit_options: Any) -> dict[str, Any]:
    """Train, evaluate on held-out synthetic reports and save the tagger (models/cell_tagger by default)."""
    import torch

    torch.set_num_threads(int(os.environ.get("GAZETTE_TORCH_THREADS", "1")))
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    t0 = time.time()
    synthetic = DEFAULT_SYNTHETIC if synthetic is None else synthetic
    epochs = DEFAULT_EPOCHS if epochs is None else epochs
    if synthetic and seed + synthetic > HELD_OUT_SEED:
        raise ValueError(f"training seeds {seed}…{seed + synthetic - 1} reach the held-out seeds ≥ {HELD_OUT_SEED}")
    annotated = [r for r in annotated_records(data or DEFAULT_DATA) if r.get("cells")]
    synth = list(synthetic_records(synthetic, seed=seed, probs=TRAIN_PROBS)) if synthetic else []
    stats: dict[str, int] = defaultdict(int)
    tagger = CellTagger(build_vocab([r["text"] for r in annotated + synth]),
                        **{**MODEL, **(model or {}), "seed": seed})
    real = build_examples(tagger, annotated, stats)
    fake = build_examples(tagger, synth, stats)
    n_synth = len(synth)
    del synth
    log(f"data: {len(fake)} synthetic + {len(real)} annotated reports, {tagger.n_params:,} parameters, "
        f"{time.time() - t0:.0f}s")
    train_log = tagger.fit(fake + real * REAL_REPEAT, epochs=epochs, seed=seed, time_limit=time_limit, log=log,
                           **{**FIT, **fit_options})
    metrics: dict[str, Any] = {
        "train_reports": {"synthetic": len(fake), "annotated": len(real), "annotated_repeat": REAL_REPEAT},
        "labels": {k: int(v) for k, v in stats.items()},
        "training": train_log,
        "parameters": tagger.n_params,
    }
    if held_out:
        from training.eval_cells import evaluate_tagger_records

        metrics["synthetic_held_out"] = evaluate_tagger_records(
            tagger, list(synthetic_records(held_out, seed=HELD_OUT_SEED)))
        metrics["annotated_seen_in_training"] = evaluate_tagger_records(tagger, annotated)
        seen = {r["id"] for r in annotated}
        unseen = [r for r in annotated_records([str(SHARED / "gold")]) if r["id"] not in seen and r.get("cells")] \
            if (SHARED / "gold").is_dir() else []
        if unseen:
            metrics["shared_reports_not_in_training"] = evaluate_tagger_records(tagger, unseen)
    metrics.update(vocab_report(tagger))
    metrics["train_seconds"] = round(time.time() - t0, 1)
    if save:
        out = Path(out_dir) if out_dir else model_path("cell_tagger")
        cfg = tagger.model.config
        card = {
            "component": "cell_tagger",
            "model": f"BertForTokenClassification from scratch: {cfg.num_hidden_layers} layers, hidden "
                     f"{cfg.hidden_size}, {cfg.num_attention_heads} heads, intermediate {cfg.intermediate_size}, "
                     f"windows of {tagger.settings['max_len']} pieces overlapping by {tagger.settings['overlap']}; "
                     f"input: label characters + [NUM] / [BLANK] / line markers of the table region; "
                     f"output: O + {len(T.CELL_IDS)} cell ids per number",
            "parameters": tagger.n_params,
            "settings": tagger.settings,
            "data": {"annotated": sorted(r["id"] for r in annotated),
                     "synthetic": f"{n_synth} reports, seeds {seed}…{seed + n_synth - 1}, "
                                  f"generator chances raised: {TRAIN_PROBS}",
                     "held_out": f"{held_out} synthetic reports, seeds {HELD_OUT_SEED}…"},
            "metrics": metrics,
            "date": dt.date.today().isoformat(),
            "fit": {**FIT, **fit_options},
            "command": f"python -m training.train_cells --synthetic {synthetic} --epochs {epochs} --seed {seed}"
                       + (f" --data {' '.join(data)}" if data else "")
                       + (f" --model '{json.dumps(model)}'" if model else "")
                       + (f" --fit '{json.dumps(fit_options)}'" if fit_options else "")
                       + (f" --time-limit {time_limit:g}" if time_limit else ""),
        }
        tagger.save(out, card=card)
        metrics["model_bytes"] = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
        card["metrics"] = metrics
        (out / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return metrics


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="*")
    ap.add_argument("--synthetic", type=int, default=None)
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--held-out", type=int, default=100)
    ap.add_argument("--time-limit", type=float, default=None, help="stop training after this many seconds")
    ap.add_argument("--out")
    ap.add_argument("--model", type=json.loads, default=None, help='JSON, e.g. {"layers": 2, "hidden": 128}')
    ap.add_argument("--fit", type=json.loads, default=None, help='JSON, e.g. {"lr": 2e-3, "batch_size": 8}')
    a = ap.parse_args()
    print(json.dumps(train_cells(a.data, a.synthetic, a.seed, a.out, a.epochs, model=a.model, held_out=a.held_out,
                                 time_limit=a.time_limit, **(a.fit or {})), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
