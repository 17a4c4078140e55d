"""The neural cell tagger (gazette_nlp.cells.tagger) and its constrained decoding (tagger_decode): input pieces,
vocabulary coverage, the monotone assignment, a tiny end-to-end training run, and the shipped model on the
shared reports."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import GOLD, REPO, SAMPLES, SHARED_COPY

from gazette_nlp import template as T
from gazette_nlp.annotations import read_gold, report_with_gold
from gazette_nlp.cells.tagger import (LABELS, NUM, SPECIALS, CellTagger, Tagged, features, unk_rate,
                                      windows)
from gazette_nlp.cells.tagger_decode import monotone_assign, tag_cells
from gazette_nlp.readers.text import read_path, report_from_text
from gazette_nlp.sections import segment_sections

MODEL = REPO / "models" / "cell_tagger"


def shipped() -> CellTagger:
    if not (MODEL / "model.safetensors").is_file():
        pytest.skip("models/cell_tagger is not trained in this checkout")
    return CellTagger.load(MODEL)


def sample_report(prefix: str) -> tuple[dict, object]:
    rec = read_gold(next(GOLD.glob(f"{prefix}*.json")))
    report = report_with_gold(rec, (SAMPLES / rec["source"]).read_text(encoding="utf-8"))
    return rec, segment_sections(report)


# ------------------------------------------------------------------ input
def test_features_collapse_numbers_and_keep_label_characters():
    text = ("二、主动公开政府信息情况\n第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
            "规章\t1\t2\t3\n行政规范性文件\t4\t\t６\n三、收到和处理政府信息公开申请情况\n")
    f = features(report_from_text(text))
    assert [t.value for t in f.tokens] == [1, 2, 3, 4, 6]
    assert [f.pieces[p] for p in f.nums] == [NUM] * 5
    assert "".join(p for p in f.pieces if p not in SPECIALS).startswith("第二十条第(一)项")
    assert "[BLANK]" in f.pieces and "[SEC二]" in f.pieces and "[TAB]" in f.pieces
    assert [f.runs[p] for p in f.nums] == [1, 2, 3, 1, 2]  # place in the run since the row label
    assert len(f.pieces) == len(f.lines) == len(f.runs)


def test_windows_cover_everything_with_overlap():
    assert windows(100, 512, 128) == [(0, 100)]
    for length, shift in ((1500, 0), (1500, 77), (511, 5), (2000, 127)):
        spans = windows(length, 512, 128, shift)
        assert spans[0][0] == 0 and spans[-1][1] == length
        assert all(b - a <= 510 for a, b in spans)
        assert all(spans[i + 1][0] <= spans[i][1] - 128 for i in range(len(spans) - 1))


def test_vocabulary_covers_the_shared_reports_table_regions():
    """UNK rate of the label characters of the five shared reports' table regions: 0 (they are in training);
    on the pool excerpts (raw, partly never annotated) at most 1%."""
    tagger = shipped()
    pieces = [p for path in sorted(SAMPLES.glob("*.txt")) for p in tagger.features(read_path(path)).pieces]
    assert sum(p not in SPECIALS for p in pieces) > 1000
    assert unk_rate(pieces, tagger.vocab) == 0.0
    pool = sorted((SHARED_COPY / "pool" / "raw").glob("*.txt"))
    assert len(pool) == 98
    pieces = [p for path in pool for p in tagger.features(read_path(path)).pieces]
    assert unk_rate(pieces, tagger.vocab) <= 0.01


# ------------------------------------------------------------------ decoding
def test_monotone_assignment_uses_each_cell_once_in_template_order():
    k = len(LABELS)
    probs = np.full((4, k), 1e-4)
    # numbers 0 and 1 both prefer cell 5; number 2 prefers cell 3 (against reading order); number 3 is O
    probs[0, 1 + 5], probs[0, 1 + 4] = 0.6, 0.3
    probs[1, 1 + 5], probs[1, 1 + 6] = 0.5, 0.4
    probs[2, 1 + 3], probs[2, 1 + 7] = 0.55, 0.4
    probs[3, 0] = 0.9
    got = monotone_assign(probs)
    assert got == [5, 6, 7, None]
    assert monotone_assign(np.zeros((0, k))) == []


def test_uncertain_numbers_are_never_silent(tmp_path):
    """A tagger whose output is flat: every cell it fills has low confidence and an issue names it."""
    rec, report = sample_report("002")
    tagger = CellTagger(**{"layers": 1, "hidden": 16, "heads": 2, "intermediate": 32})
    tag_cells(report, tagger)
    named = {c for i in report.issues for c in i.cells}
    assert report.cells and all(c.confidence < 0.9 or cid in named for cid, c in report.cells.items())


# ------------------------------------------------------------------ training, end to end
def test_tiny_training_run_saves_a_model_that_loads_and_predicts(tmp_path):
    """≤ 60 s: a one-layer tagger on a few synthetic reports and one gold report; saved, loaded, predicting."""
    pytest.importorskip("torch")
    from training.train_cells import train_cells

    gold = next(GOLD.glob("002*.json"))
    out = tmp_path / "tagger"
    metrics = train_cells(data=[str(gold)], synthetic=6, seed=123, out_dir=str(out), epochs=1, held_out=2,
                          model={"layers": 1, "hidden": 32, "heads": 2, "intermediate": 64})
    assert metrics["train_reports"] == {"synthetic": 6, "annotated": 1, "annotated_repeat": 4}
    assert metrics["labels"]["cells_located"] > 1000 and metrics["labels"]["gold_unlocated"] == 0
    assert {p.name for p in out.iterdir()} >= {"config.json", "model.safetensors", "model.onnx", "vocab.txt",
                                               "card.json"}
    assert metrics["model_bytes"] < 10 * 2 ** 20
    loaded = CellTagger.load(out)
    assert loaded.session is not None and loaded.model is None  # the parse runs the ONNX export, not torch
    report = read_path(SAMPLES / "002_42101ead988e0218.txt")
    tagged = loaded.predict(report)
    assert len(tagged) >= 200 and all(isinstance(t, Tagged) for t in tagged)
    n, raw, value, probs = tagged[0]
    assert report.line(n).text.find(raw) >= 0 and value is not None
    assert 0 < sum(probs.values()) <= 1.0 + 1e-5 and set(probs) <= set(LABELS)


# ------------------------------------------------------------------ the ONNX export the parse runs
def test_onnx_export_gives_the_torch_models_probabilities():
    """The shipped export and the torch weights it was made from agree on every number of the five samples
    (and on a generated report with rows cut out): same top cell, probabilities within 1e-4."""
    from training.synth import generate_corpus

    onnx, torch_model = shipped(), CellTagger.load(MODEL, runtime="torch")
    assert onnx.session is not None and torch_model.model is not None
    reports = [read_path(p) for p in sorted(SAMPLES.glob("*.txt"))]
    rec = next(iter(generate_corpus(1, seed=7)))
    lines = rec["text"].split("\n")
    reports.append(report_from_text("\n".join(lines[: len(lines) // 2 - 15] + lines[len(lines) // 2:])))
    numbers = 0
    for report in reports:
        f = onnx.features(segment_sections(report))
        a, b = onnx.probabilities(f), torch_model.probabilities(f)
        numbers += len(a)
        assert a.shape == b.shape and (a.argmax(1) == b.argmax(1)).all()
        assert float(np.abs(a - b).max(initial=0.0)) < 1e-4
    assert numbers > 1000


def test_windows_without_numbers_are_not_run():
    """A long region with numbers only at its head: only the windows holding a number are run, each asked for
    the logits of its numbers only, and the numbers get the same probabilities as from every piece's logits."""
    from gazette_nlp.cells.tagger import Features

    tagger = shipped()
    assert tagger.reads_positions  # the shipped export takes `positions`
    pieces = ["[NUM]", "[NUM]", "[NL]"] + ["信", "息", "[NL]"] * 500
    f = Features(pieces=pieces, lines=[1 + k // 3 for k in range(len(pieces))],
                 runs=[1, 2] + [0] * (len(pieces) - 2), nums=[0, 1])
    spans = tagger.examples(tagger.encoded(f))
    assert len(spans) >= 3
    calls: list[tuple[int, list[list[int]]]] = []
    real = tagger._logits
    tagger._logits = lambda chunk, at: calls.append((len(chunk), at.tolist())) or real(chunk, at)
    try:
        p = tagger.probabilities(f)
    finally:
        del tagger._logits
    assert calls == [(1, [[1, 2]])]  # one window, its two numbers (after [CLS])
    _, a, b = spans[0]
    every = real(spans[:1], np.arange(b - a + 2)[None, :])  # every piece of the first window
    z = np.exp(every[0] - every[0].max(-1, keepdims=True))
    assert np.array_equal(p, (z / z.sum(-1, keepdims=True))[1:3])


def test_each_number_is_read_once_from_the_window_where_it_sits_farthest_from_an_edge():
    """Numbers spread over overlapping windows: every number is asked of exactly one window, the one where its
    distance to the nearer edge is largest, and its probabilities equal those of that window's full logits."""
    from gazette_nlp.cells.tagger import Features

    tagger = shipped()
    pieces = (["[NUM]", "信", "[NL]"] * 600)[:1500]
    nums = [k for k, q in enumerate(pieces) if q == "[NUM]"]
    f = Features(pieces=pieces, lines=[1 + k // 3 for k in range(len(pieces))],
                 runs=[1 if q == "[NUM]" else 0 for q in pieces], nums=nums)
    spans = [(a, b) for _, a, b in tagger.examples(tagger.encoded(f))]
    asked: list[int] = []
    real = tagger._logits
    tagger._logits = lambda chunk, at: asked.extend(
        c[1] + int(q) - 1 for c, row in zip(chunk, at) for q in row if q) or real(chunk, at)
    try:
        p = tagger.probabilities(f)
    finally:
        del tagger._logits
    assert sorted(asked) == nums  # each number once
    enc = tagger.encoded(f)
    for k in (0, len(nums) // 3, len(nums) // 2, len(nums) - 1):
        pos = nums[k]
        a, b = max(spans, key=lambda s: (min(pos - s[0], s[1] - 1 - pos), -s[0]))
        full = real([(enc, a, b)], np.arange(b - a + 2)[None, :])[0, pos - a + 1]
        z = np.exp(full - full.max())
        assert np.allclose(p[k], z / z.sum(), atol=1e-6)


# ------------------------------------------------------------------ the shipped model on a shared report
def test_shipped_tagger_reads_a_shared_report():
    """002 (non-zero values in every table): each number's top cell, and the decoded cells against gold."""
    tagger = shipped()
    rec, report = sample_report("002")
    tagged = tagger.predict(report)
    top = {}
    for t in tagged:
        cid = max(t.probs, key=t.probs.get)
        if cid != "O":
            top[cid] = t.value
    agree = sum(1 for c, v in rec["cells"].items() if c in top and top[c] == v)
    assert agree >= 0.95 * len(rec["cells"])
    tag_cells(report, tagger)
    wrong = [c for c, v in rec["cells"].items() if c not in report.cells or report.cells[c].value != v]
    assert not wrong, wrong[:10]
    assert report.cells["t2.fees.amount"].value == 2561.768 and report.cells["t2.licensing.decisions"].raw == "74833"


def test_shipped_pipeline_printed_blanks_and_dropped_columns():
    """003: five 行政复议 cells printed blank → null; rows printing 6 of 7 zeros → the identities fill the 7th.
    The tagger alone reads the blank 行政复议 row as the next row's zeros; after the rules, the cross-check keeps
    the rules' nulls and names the disagreement, so nothing wrong is silent."""
    from gazette_nlp.cells import align_cells
    from gazette_nlp.cells.crosscheck import cross_check_cells

    tagger = shipped()
    rec, report = sample_report("003")
    cross_check_cells(align_cells(report), tagger)
    assert all(report.cells[f"t4.review.{k}"].value is None for k, _ in T.T4_KEYS)
    assert report.cells["t3.granted.total"].value == 0
    inferred = [c for c, cell in report.cells.items() if cell.origin == "inferred"]
    assert len(inferred) == 18
    right = sum(1 for c, v in rec["cells"].items() if c in report.cells and report.cells[c].value == v)
    assert right == len(rec["cells"])
    named = {c for i in report.issues for c in i.cells}
    assert all(cell.confidence < 0.9 or cid in named for cid, cell in report.cells.items()
               if cid.startswith("t4.review"))


def test_an_export_without_positions_still_reads_every_number():
    """A tagger saved before the `positions` input gives every piece's logits; they are gathered here, to the
    same probabilities. The old export is stood in for by the shipped one asked for every piece."""
    from types import SimpleNamespace

    shipped_tagger = shipped()
    real = shipped_tagger.session

    class OldExport:
        def get_inputs(self):
            return [SimpleNamespace(name=n) for n in ("input_ids", "token_type_ids", "attention_mask")]

        def run(self, names, arrays):
            every = np.tile(np.arange(arrays["input_ids"].shape[1]), (arrays["input_ids"].shape[0], 1))
            return real.run(names, {**arrays, "positions": every})

    old = CellTagger(shipped_tagger.vocab_list, shipped_tagger.settings, session=OldExport())
    assert not old.reads_positions
    f = old.features(segment_sections(read_path(SAMPLES / "002_42101ead988e0218.txt")))
    assert len(f.nums) >= 200
    assert np.array_equal(old.probabilities(f), shipped_tagger.probabilities(f))
