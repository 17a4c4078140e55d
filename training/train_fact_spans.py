"""Train the spaCy fact component (`SpanFactTagger`) on generated narrative + the hand-labelled reports, and compare
it with the pair LR and their combination on reports held out of training.

    python -m training.train_fact_spans                    # held-out figures, then fit on all, save, cards
    python -m training.train_fact_spans --cv-only --folds 66   # leave-one-report-out (66 spaCy fits, ~30 min)

Run it after `train_facts` (which saves the LR alone): it writes models/fact_spans and, when the combination beats
the LR alone on the held-out folds, `span_model` / `span_weight` / `span_band` and the threshold into the LR's
facts.json (its weights unchanged); otherwise it removes them.

Held out: the 66 hand-labelled reports are cut into `--folds` groups (whole reports; `--folds 66` is leave-one-
report-out); each group is tagged by models fitted on the other groups plus the generated reports, which are only
ever training data. Figures are scored as train_facts scores them (line, value, a reading in common). Thresholds
and the combination weight are chosen on these same held-out folds: development figures.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gazette_nlp.facts.features import Site, narrative_sites
from gazette_nlp.facts.labels import label_of
from gazette_nlp.facts.span_tagger import MARGIN, SpanFactTagger
from gazette_nlp.facts.tagger import FactTagger, Tagged, combine
from gazette_nlp.paths import REPO_ROOT
from gazette_nlp.pipeline import Pipeline

from .synth import generate_report
from .train_facts import Labelled, _match_site, evaluate, load_labelled

SPAN_DIR = REPO_ROOT / "gazette_nlp" / "models" / "fact_spans"
LR_DIR = REPO_ROOT / "gazette_nlp" / "models" / "fact_tagger"
SYNTH_SEED = 500_000  # generated reports for this component: seeds far from every other component's
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(4, 20))
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)  # weight of the span score in the combination (0: LR alone)
# LR probabilities for which spaCy is asked: the narrower, the fewer sentences it reads (parse speed)
BANDS = ((0.0, 1.0), (0.02, 0.98), (0.05, 0.95), (0.1, 0.9), (0.2, 0.8))


@dataclass
class Generated:
    sites: list[Site]
    labels: list[str]


def load_generated(n: int, seed: int = SYNTH_SEED) -> Generated:
    """Sites of `n` generated reports with narrative facts, labelled from their records (parsed like real text)."""
    pipe = Pipeline(skip={"theme_paragraphs", "extract_facts"})
    sites: list[Site] = []
    labels: list[str] = []
    for i in range(n):
        rec = generate_report(seed + i, narrative_facts=True)
        report = pipe.parse(rec["text"])
        used: set[int] = set()
        for s in narrative_sites(report):
            k = _match_site(s, rec["facts"], used)
            if k is not None:
                used.add(k)
            sites.append(s)
            labels.append("O" if k is None else label_of(rec["facts"][k]["cells"], rec["facts"][k]["text"]))
    return Generated(sites, labels)


def folds(data: list[Labelled], k: int) -> list[list[int]]:
    return [list(range(i, len(data), k)) for i in range(k)]


def held_out(data: list[Labelled], gen: Generated, k: int, lr_c: float, epochs: int, width: int):
    """Per report: LR pair probabilities (real training folds only, as shipped so far), span scores."""
    out: dict[str, tuple[list[Tagged], list[dict[str, float]]]] = {}
    for group in folds(data, k):
        train = [d for i, d in enumerate(data) if i not in group]
        t0 = time.time()
        lr = FactTagger.fit([s for d in train for s in d.sites], [g for d in train for g in d.gold_labels],
                            c=lr_c, threshold=0.0)
        span = SpanFactTagger.fit([s for d in train for s in d.sites] + gen.sites,
                                  [g for d in train for g in d.gold_labels] + gen.labels, epochs=epochs,
                                  width=width)
        for i in group:
            d = data[i]
            out[d.name] = (lr.predict(d.sites), span.scores(d.sites))
        print(f"  fold of {len(group)} reports: {time.time() - t0:.0f} s", flush=True)
    return out


def tagged_for(data: list[Labelled], scores, weight: float,
               band: tuple[float, float] = (0.0, 1.0)) -> list[tuple[Labelled, list[Tagged]]]:
    results = []
    for d in data:
        lr_tags, span_scores = scores[d.name]
        if weight == 0.0:
            results.append((d, lr_tags))
        else:
            results.append((d, [combine(t, sc, weight) if band[0] <= t.probability <= band[1] else t
                                for t, sc in zip(lr_tags, span_scores)]))
    return results


def sent_share(data: list[Labelled], scores, band: tuple[float, float]) -> float:
    """The share of candidates with a cue pair that a band sends to spaCy."""
    tags = [t for d in data for t in scores[d.name][0] if t.pairs]
    return sum(band[0] <= t.probability <= band[1] for t in tags) / max(len(tags), 1)


def span_alone(data: list[Labelled], scores) -> list[tuple[Labelled, list[Tagged]]]:
    out = []
    for d in data:
        tags = []
        for s, sc in zip(d.sites, scores[d.name][1]):
            label, p = max(sc.items(), key=lambda kv: kv[1])
            tags.append(Tagged(s, label, p))
        out.append((d, tags))
    return out


def best_threshold(results) -> tuple[float, dict]:
    best = None
    for th in THRESHOLDS:
        ev = evaluate(results, th)
        key = (ev["precision"] >= 0.95, ev["recall"], ev["precision"])
        if best is None or key > best[0]:
            best = (key, th, ev)
    return best[1], best[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=int, default=250, help="generated reports (training data only)")
    ap.add_argument("--folds", type=int, default=11, help="report groups held out in turn (66: leave-one-out)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--width", type=int, default=32, help="tok2vec width (cost grows with its square)")
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--out", type=Path, default=SPAN_DIR)
    args = ap.parse_args(argv)
    t0 = time.time()
    data = load_labelled()
    gen = load_generated(args.synthetic)
    print(f"{len(data)} labelled reports ({sum(len(d.sites) for d in data)} candidates); {args.synthetic} generated "
          f"({len(gen.sites)} candidates, {sum(g != 'O' for g in gen.labels)} facts); {time.time() - t0:.0f} s",
          flush=True)
    lr_meta = json.loads((LR_DIR / "facts.json").read_text(encoding="utf-8"))
    lr_card = json.loads((LR_DIR / "card.json").read_text(encoding="utf-8"))
    lr_c = lr_card["hyperparameters"]["C"]
    scores = held_out(data, gen, args.folds, lr_c, args.epochs, args.width)
    figures = {}
    th, ev = best_threshold(tagged_for(data, scores, 0.0))
    figures["lr"] = {"threshold": th, **{k: ev[k] for k in ("precision", "recall", "tp", "fp", "fn")}}
    th, ev = best_threshold(span_alone(data, scores))
    figures["spacy"] = {"threshold": th, **{k: ev[k] for k in ("precision", "recall", "tp", "fp", "fn")}}
    best = None
    for w in WEIGHTS[1:]:
        for band in BANDS:
            th, ev = best_threshold(tagged_for(data, scores, w, band))
            figures[f"combined_w{w}_band{band[0]}-{band[1]}"] = {
                "weight": w, "band": list(band), "sent_to_spacy": round(sent_share(data, scores, band), 3),
                "threshold": th, **{k: ev[k] for k in ("precision", "recall", "tp", "fp", "fn")}}
            # ties go to the narrower band (the list runs from wide to narrow): fewer sentences for spaCy
            key = (ev["precision"] >= 0.95, ev["recall"], ev["precision"])
            if best is None or key >= best[0]:
                best = (key, w, th, band)
    for name, f in figures.items():
        print(f"{name}: P {f['precision']} R {f['recall']} (tp {f['tp']} fp {f['fp']} fn {f['fn']}, "
              f"threshold {f['threshold']}, sent to spaCy {f.get('sent_to_spacy', '-')})")
    if args.cv_only:
        return 0
    _, weight, th, band = best
    lr_key = (figures["lr"]["precision"] >= 0.95, figures["lr"]["recall"], figures["lr"]["precision"])
    chosen = "combined" if best[0] > lr_key else "lr"
    span = SpanFactTagger.fit([s for d in data for s in d.sites] + gen.sites,
                              [g for d in data for g in d.gold_labels] + gen.labels, epochs=args.epochs,
                              width=args.width)
    span.threshold = figures["spacy"]["threshold"]
    span.save(args.out)
    card = {
        "component": "fact_spans",
        "model": f"spaCy spancat (blank zh, jieba) over one suggested span per count/money candidate: its clause "
                 f"up to its number; HashEmbedCNN width {args.width} depth 2, mean-max reducer, sigmoid per label; the "
                 "parse runs its array export (arrays/, gazette_nlp/facts/spancat_arrays.py: the same scores "
                 "without importing spaCy)",
        "data": {"labelled_reports": len(data), "labelled_candidates": sum(len(d.sites) for d in data),
                 "generated_reports": args.synthetic, "generated_seeds": [SYNTH_SEED, SYNTH_SEED + args.synthetic],
                 "generated_candidates": len(gen.sites), "generated_facts": sum(g != "O" for g in gen.labels)},
        "metrics": {"held_out": figures, "folds": args.folds, "shipped": chosen,
                    "note": "reports held out in groups (generated reports in training only); thresholds and "
                            "weight chosen on these same folds: development figures"},
        "hyperparameters": {"epochs": args.epochs, "width": args.width, "depth": 2, "margin_chars": MARGIN},
        "date": dt.date.today().isoformat(),
        "command": f"python -m training.train_fact_spans --synthetic {args.synthetic} --folds {args.folds} "
                   f"--epochs {args.epochs} --width {args.width}",
    }
    (args.out / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # the LR's saved model (same weights) either mixes the span scores in or not
    for key in ("span_model", "span_weight", "span_band"):
        lr_meta.pop(key, None)
    lr_meta["threshold"] = lr_card["hyperparameters"]["threshold"]
    if chosen == "combined":
        lr_meta.update({"span_model": args.out.name, "span_weight": weight, "span_band": list(band),
                        "threshold": th})
    (LR_DIR / "facts.json").write_text(json.dumps(lr_meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"shipped: {chosen} (weight {weight}, band {band}, threshold {th}); saved {args.out} in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
