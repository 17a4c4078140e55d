"""`gazette_nlp.evaluate` computes what ../shared/tools/score.py (copied into tests/fixtures/shared) computes,
on the same output."""
import json
import random
import subprocess
import sys

import pytest
from conftest import GOLD, SHARED_COPY

from gazette_nlp.evaluate import evaluate_records, load_golds
from gazette_nlp.pipeline import Pipeline


@pytest.fixture(scope="module")
def records(sample_texts):
    pipe = Pipeline(skip=["theme_paragraphs"])
    from gazette_nlp.readers.text import read_text

    return [pipe(read_text(t, source=f"{sid}.txt")).to_json() for sid, t in sample_texts.items()]


def degrade(records: list[dict], seed: int) -> list[dict]:
    """Flip labels, change and drop cells, invent a cell, give paragraphs themes: every metric moves."""
    rng = random.Random(seed)
    out = json.loads(json.dumps(records))
    for rec in out:
        for ln in rng.sample(rec["lines"], k=min(8, len(rec["lines"]))):
            ln["label"] = rng.choice(["heading", "table_row", "narrative", "other"])
        cells = list(rec["cells"])
        for cid in rng.sample(cells, k=min(5, len(cells))):
            rec["cells"][cid]["value"] = 99
        for cid in rng.sample(cells, k=min(3, len(cells))):
            rec["cells"].pop(cid, None)
        rec["cells"]["t3.new.natural_person"] = {"value": 1}  # absent from 004's gold (lost at a page break)
        for p in rec["paragraphs"]:
            p["themes"] = rng.sample(["staffing", "requests", "platforms", "training"], k=rng.randint(0, 2))
    return out


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_metrics_agree_with_the_independent_scorer(records, tmp_path, seed):
    gold = GOLD
    recs = records if seed is None else degrade(records, seed)
    out = tmp_path / "out.jsonl"
    out.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    res = subprocess.run([sys.executable, str(SHARED_COPY / "tools" / "score.py"), str(out), str(gold), "--json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(res.stdout)
    ours = evaluate_records(recs, load_golds(gold))
    for key in ("cells", "cell_accuracy", "reports_all_cells_ok", "extra_cells", "lines", "line_accuracy",
                "line_macro_f1", "line_f1", "theme_micro_f1"):
        assert ours[key] == theirs[key], key
    if seed is not None:
        assert ours["cell_accuracy"] < 1.0 and ours["extra_cells"] > 0


def test_pipeline_on_the_shared_reports_is_exact(records):
    res = evaluate_records(records, load_golds(GOLD))
    assert res["cell_accuracy"] == 1.0 and res["extra_cells"] == 0
    assert res["line_macro_f1"] >= 0.97


@pytest.mark.parametrize("seed", [None, 3])
def test_per_cell_details_add_up_to_the_scores(records, seed):
    """cell_details, the full confusion matrix and the per-table accuracy agree with the headline figures."""
    recs = records if seed is None else degrade(records, seed)
    res = evaluate_records(recs, load_golds(GOLD))
    gold_cells = [d for d in res["cell_details"] if not d.get("extra")]
    assert len(gold_cells) == res["cells"]
    assert round(sum(d["right"] for d in gold_cells) / res["cells"], 4) == res["cell_accuracy"]
    assert sum(1 for d in res["cell_details"] if d.get("extra")) == res["extra_cells"]
    assert {(d["report"], d["cell"]) for d in gold_cells if not d["right"]} == {w[:2] for w in res["wrong_cells"]}
    assert sum(t["cells"] for t in res["cell_accuracy_by_table"].values()) == res["cells"]
    assert set(res["cell_accuracy_by_table"]) == {"t2", "t3", "t4"}
    matrix = res["line_confusion_matrix"]
    assert sum(sum(row.values()) for row in matrix.values()) == res["lines"]
    diagonal = sum(row.get(g, 0) for g, row in matrix.items())
    assert round(diagonal / res["lines"], 4) == res["line_accuracy"]
    for d in gold_cells:
        if d["absent"]:
            assert d["confidence"] is None and d["output"] is None
        if not d["right"] and d["line"] is not None:
            assert d["line_text"]  # the printed line, where a reader looks first
    if seed is not None:
        assert any(d["absent"] for d in gold_cells)
        assert any(not d["right"] and d["line_text"] and d["confidence"] for d in gold_cells)


def test_evaluate_scores_scans_by_degradation_level(tmp_path):
    """`evaluate --scans DIR`: the PDFs of DIR scanned at each level, parsed and scored (issue 13); a folder
    without PDFs is a named error before any work."""
    pytest.importorskip("rapidocr")
    from conftest import REPO

    scans = tmp_path / "office"
    scans.mkdir()
    for f in (REPO / "tests" / "fixtures" / "office").glob("synth_202_s74.*"):
        (scans / f.name).write_bytes(f.read_bytes())
    out = tmp_path / "m.json"
    res = subprocess.run([sys.executable, "-m", "gazette_nlp", "evaluate", "--gold", str(GOLD), "--scans", str(scans),
                          "--scan-levels", "light", "--scan-seeds", "4", "--json", str(out)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    level = json.loads(out.read_text(encoding="utf-8"))["by_scan_level"]["light"]
    assert level["of"] == 200 and level["accuracy"] >= 0.98 and level["confident_wrong"] == 0
    bad = subprocess.run([sys.executable, "-m", "gazette_nlp", "evaluate", "--gold", str(GOLD), "--scans",
                          str(tmp_path / "none")], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "InputError" in bad.stderr and "Traceback" not in bad.stderr
