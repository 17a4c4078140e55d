"""Theme training examples: `{"text", "themes", "origin", "report", "n", "weight"}` records.

Sources (each one a function, all returning the same record shape):

* `annotated_examples(paths)` — gold-format files (../shared/gold, training/annotations/pool): the
  paragraphs are assembled from the raw text with the gold line labels (`assemble_paragraphs`), and a gold
  paragraph's text is the assembled paragraph starting at its line `n`; origin `gold` or `pool`.
* `extra_examples(path)` — training/annotations/themes_extra.jsonl ({text, themes, provenance}); origin `extra`;
  records with a `report` (training/annotations/pool_preamble.jsonl: real paragraphs of a pool excerpt outside
  its labelled sections, with `report`, `n`, `source`) keep that report id, origin `pool_extra`.
* `synthetic_examples(paths_or_records)` — generator records (`paragraphs` with `text` and `themes`);
  origin `synthetic`.
* `weak_examples(paths)` — narrative paragraphs of annotated reports that carry no hand theme label (e.g.
  sections 五/六 of pool excerpts annotated for section 一 only) labelled by the heading rules of
  `training/weak_labels.py`; origin `weak`.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from gazette_nlp.annotations import default_text_dirs, find_text, iter_gold_files, read_gold, report_with_gold
from gazette_nlp.model import Report
from gazette_nlp.paths import REPO_ROOT
from gazette_nlp.themes.paragraphs import SCORED_SECTIONS, assemble_paragraphs
from gazette_nlp.themes.terms import THEMES

SHARED = REPO_ROOT.parent / "shared"
GOLD_DIR = SHARED / "gold"
POOL_ANNOTATIONS = REPO_ROOT / "training" / "annotations" / "pool"
EXTRA = REPO_ROOT / "training" / "annotations" / "themes_extra.jsonl"
POOL_PREAMBLE = REPO_ROOT / "training" / "annotations" / "pool_preamble.jsonl"
# the eight complete real reports of ../shared/real, sections 一/五/六 (origin `real`; `group`: their issuer)
REAL_THEMES = REPO_ROOT / "training" / "annotations" / "real_themes.jsonl"
SYNTH_DIR = REPO_ROOT / "training" / "synth"
TEXT_DIRS = [SHARED / "reports", SHARED / "pool" / "raw", REPO_ROOT / "samples"]
SHARED_REPORT_IDS = frozenset(p.stem for p in (REPO_ROOT / "samples").glob("*.txt"))

# how much one example of each origin counts in training (an integer repeats it; a fraction samples it)
DEFAULT_WEIGHTS: dict[str, float] = {"gold": 2.0, "pool": 2.0, "pool_extra": 2.0, "real": 2.0, "extra": 1.0,
                                     "synthetic": 0.1, "weak": 0.5}
# the same for the linear model of the ensemble (gazette_nlp/themes/linear.py): it draws more from the
# generator's paragraphs (chosen on the pool cross-validation: 0.3 against 0.1 for the textcat)
LINEAR_WEIGHTS: dict[str, float] = {**DEFAULT_WEIGHTS, "synthetic": 0.3}


def _example(text: str, themes: Iterable[str], origin: str, report: str = "", n: int | None = None,
             **extra: Any) -> dict[str, Any]:
    themes = [t for t in themes]
    bad = [t for t in themes if t not in THEMES]
    if bad:
        raise ValueError(f"{report or origin}: unknown theme(s) {bad}")
    return {"text": text, "themes": themes, "origin": origin, "report": report, "n": n, **extra}


def default_sources() -> list[Path]:
    """The data the shipped model is trained on (those that exist in this checkout)."""
    out = [p for p in (GOLD_DIR, POOL_ANNOTATIONS, POOL_PREAMBLE, REAL_THEMES, EXTRA) if p.exists()]
    out += sorted(SYNTH_DIR.glob("*.jsonl")) if SYNTH_DIR.is_dir() else []
    return out


def gold_report(rec: dict[str, Any], search: Iterable[Path] = ()) -> Report:
    text = find_text(rec, list(search) + TEXT_DIRS)
    return assemble_paragraphs(report_with_gold(rec, text))


def _origin_of(path: Path, rec: dict[str, Any]) -> str:
    if rec.get("origin"):
        return str(rec["origin"])
    return "pool" if rec["id"].startswith("P") or "annotations" in path.parts else "gold"


def annotated_examples(paths: Iterable[str | Path], with_unlabelled: bool = False) -> Iterator[dict[str, Any]]:
    """Hand-labelled paragraphs of gold-format files. With `with_unlabelled`, narrative paragraphs of the
    scored sections that the file does not label are yielded too, with `themes=None`."""
    for path in paths:
        for f in iter_gold_files(path):
            rec = read_gold(f)
            report = gold_report(rec, default_text_dirs(f.parent))
            origin = _origin_of(f, rec)
            by_n = {p.n: p for p in report.paragraphs}
            labelled = set()
            for gp in rec.get("paragraphs") or []:
                p = by_n.get(gp["n"])
                if p is None:  # a start the assembly does not make: take the line alone
                    text = report.line(gp["n"]).norm.strip()
                    lines = [gp["n"]]
                else:
                    text, lines = p.text, p.lines
                labelled.add(gp["n"])
                yield _example(text, gp.get("themes") or [], origin, rec["id"], gp["n"], section=gp.get("section"),
                               lines=lines, heading=heading_before(report, gp["n"]))
            if with_unlabelled:
                for p in report.paragraphs:
                    if p.n not in labelled and p.section in SCORED_SECTIONS:
                        yield _example(p.text, [], origin, rec["id"], p.n, section=p.section, lines=p.lines,
                                       heading=heading_before(report, p.n), unlabelled=True)


def heading_before(report: Report, n: int) -> str | None:
    """The normalised text of the heading line right before line `n` (blank lines skipped), if any."""
    for m in range(n - 1, 0, -1):
        line = report.line(m)
        if line.blank:
            continue
        return line.norm.strip() if line.label == "heading" else None
    return None


def extra_examples(path: str | Path = EXTRA) -> Iterator[dict[str, Any]]:
    p = Path(path)
    if not p.is_file():
        return
    with p.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if line.strip():
                r = json.loads(line)
                if r.get("report"):  # real text of an annotated report outside its labelled paragraphs
                    yield _example(r["text"], r.get("themes") or [], r.get("origin", "pool_extra"), r["report"],
                                   r.get("n"), section=r.get("section"), provenance=r.get("provenance"),
                                   **({"group": r["group"]} if r.get("group") else {}))
                else:
                    yield _example(r["text"], r.get("themes") or [], "extra", f"{p.stem}:{i}", None,
                                   provenance=r.get("provenance"))


def _synthetic_records(source: str | Path | Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    if isinstance(source, (str, Path)):
        p = Path(source)
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
        for f in files:
            with f.open(encoding="utf-8") as fh:
                yield from (json.loads(l) for l in fh if l.strip())
    else:
        yield from source


def synthetic_examples(source: str | Path | Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Paragraphs of generator records (`paragraphs: [{n, section, text, themes}]`), each with the heading line
    right above it (for the weak-label evaluation)."""
    from gazette_nlp.textnorm import normalise

    for rec in _synthetic_records(source):
        rid = str(rec.get("id", "synthetic"))
        raw = rec["text"].splitlines() if rec.get("text") else []
        labels = {ln["n"]: ln["label"] for ln in rec.get("lines") or []}
        for p in rec.get("paragraphs") or []:
            text = p.get("text")
            if not text and raw and p.get("n"):
                text = raw[p["n"] - 1]
            if not text or p.get("themes") is None:
                continue
            if p.get("section") and p["section"] not in SCORED_SECTIONS:
                continue
            heading = None
            for m in range((p.get("n") or 1) - 1, 0, -1):
                if m - 1 < len(raw) and raw[m - 1].strip():
                    heading = normalise(raw[m - 1]).strip() if labels.get(m) == "heading" else None
                    break
            yield _example(normalise(text).strip(), p["themes"], "synthetic", rid, p.get("n"), heading=heading)


def generated_examples(n_reports: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Paragraphs from the synthetic report generator, when training/synth provides one."""
    try:
        from training.synth import generate_corpus
    except ImportError:
        return
    yield from synthetic_examples(generate_corpus(n_reports, seed=seed))


def load_examples(paths: Iterable[str | Path] | None = None, exclude_ids: Iterable[str] = (),
                  synthetic: int = 0, seed: int = 0, weak: bool = True) -> list[dict[str, Any]]:
    """All examples from `paths` (gold dirs/files, themes_extra-style .jsonl, synthetic .jsonl), minus the
    reports in `exclude_ids`; plus `synthetic` generated reports' paragraphs and weak-labelled paragraphs."""
    from training.weak_labels import heading_theme

    exclude = set(exclude_ids)
    out: list[dict[str, Any]] = []
    for path in (paths if paths is not None else default_sources()):
        p = Path(path)
        if p.is_dir() or p.suffix == ".json":
            if p.is_dir() and not any(p.glob("*.json")):
                out.extend(synthetic_examples(p))
                continue
            for ex in annotated_examples([p], with_unlabelled=weak):
                if ex.get("unlabelled"):
                    theme = heading_theme(ex.get("heading"), ex["text"])
                    if not theme:
                        continue
                    ex = {**ex, "themes": [theme], "origin": "weak"}
                out.append(ex)
        elif p.suffix == ".jsonl":
            with p.open(encoding="utf-8") as fh:
                first = next((json.loads(l) for l in fh if l.strip()), None)
            if first is None:
                continue
            out.extend(synthetic_examples(p) if "paragraphs" in first else extra_examples(p))
        else:
            raise ValueError(f"{p}: not a gold folder/file or a .jsonl of examples")
    if synthetic:
        out.extend(generated_examples(synthetic, seed=seed))
    return [ex for ex in out if ex["report"] not in exclude]
