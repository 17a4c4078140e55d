"""The line classifier on the shared reports, on generated corruptions of them, and its component shape."""
import json

import numpy as np
import pytest
from conftest import GOLD, REPO
from sklearn.metrics import f1_score

from gazette_nlp.lines import LineClassifier, classify_lines
from gazette_nlp.model import LINE_LABELS
from gazette_nlp.readers.text import report_from_text


def gold_record(sid: str) -> dict:
    return json.loads((GOLD / f"{sid}.json").read_text(encoding="utf-8"))


def macro_f1(text: str, gold_lines: list[dict]) -> float:
    report = classify_lines(report_from_text(text))
    pred = {ln.n: ln.label for ln in report.lines}
    y = [(g["label"], pred.get(g["n"])) for g in gold_lines]
    labels = sorted({g for g, _ in y})
    return f1_score([g for g, _ in y], [p or "none" for _, p in y], labels=labels, average="macro")


@pytest.mark.parametrize("sid", ["000_3e65870ca69ee4e2", "001_09c6e234b179f3b0", "002_42101ead988e0218",
                                 "003_cc5777ecc468ec6c", "004_4d52fde21a8cca17"])
def test_shipped_classifier_on_each_shared_report(sid, sample_texts):
    assert macro_f1(sample_texts[sid], gold_record(sid)["lines"]) >= 0.97


@pytest.mark.parametrize("kinds", [("traditional",), ("fullwidth",), ("halfwidth_punct",), ("ocr_noise",)])
def test_generated_corruptions_of_a_shared_report(kinds, sample_texts):
    from training.synth import corrupt_text

    sid = "003_cc5777ecc468ec6c"
    corrupted = corrupt_text(sample_texts[sid], list(kinds), seed=7)
    assert corrupted != sample_texts[sid]
    assert macro_f1(corrupted, gold_record(sid)["lines"]) >= 0.95


def test_pipe_table_rendering_of_a_tab_report(sample_texts):
    sid = "002_42101ead988e0218"
    piped = "\n".join(("| " + " | ".join(l.split("\t")) + " |") if "\t" in l else l
                      for l in sample_texts[sid].splitlines())
    assert macro_f1(piped, gold_record(sid)["lines"]) >= 0.95


def test_lone_numbers_take_their_label_from_context():
    text = "二、主动公开政府信息情况\n\t规章\n\t0\n\t0\n\t0\n\t行政规范性文件\n\t0\n\n五、存在的主要问题及改进情况\n一是公开内容还不够全面。"
    report = classify_lines(report_from_text(text))
    assert [report.line(n).label for n in (3, 4, 5, 7)] == ["table_row"] * 4
    assert report.line(10).label == "narrative"


def test_every_nonblank_line_gets_a_label_and_probability(sample_texts):
    report = classify_lines(report_from_text(sample_texts["000_3e65870ca69ee4e2"]))
    for ln in report.lines:
        assert (ln.label in LINE_LABELS and 0.25 <= ln.confidence <= 1.0) if not ln.blank else ln.label is None


def test_fit_save_load_round_trip(tmp_path):
    from training.synth import generate_corpus

    from training.data import to_report

    reports = [to_report(r) for r in generate_corpus(8, seed=123)]
    clf = LineClassifier().fit(reports[:6], folds=2)
    clf.save(tmp_path / "lc", card={"component": "line_classifier"})
    again = LineClassifier.load(tmp_path / "lc")
    probe = report_from_text(reports[7].lines[0].text + "\n" + "\n".join(l.text for l in reports[7].lines[1:]))
    idx1, p1 = clf.predict_proba(probe)
    idx2, p2 = again.predict_proba(probe)
    assert idx1 == idx2 and (abs(p1 - p2) < 1e-9).all()
    assert json.loads((tmp_path / "lc" / "card.json").read_text())["component"] == "line_classifier"


def test_hashed_ngrams_are_scikit_learns():
    """The n-gram hashing inference uses is HashingVectorizer's, column for column and value for value (the
    shipped weights were fitted on HashingVectorizer's matrix)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    from gazette_nlp.lines.hashing import NgramHasher

    texts = ["三、收到和处理政府信息公开申请情况", "（一）予以公开\t12\t 0\t\t3", "- 2 -", "a  b\u3000\u3000c", "x",
             "本年度共受理政府信息公开申请128件，办结121件。" * 3]
    hv = HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=2 ** 16, alternate_sign=False,
                           norm="l2", lowercase=False)
    ref = hv.transform(texts).tocoo()
    rows, cols, vals = NgramHasher(2 ** 16).rows(texts)
    got = sorted(zip(rows.tolist(), cols.tolist(), vals.tolist()))
    want = sorted(zip(ref.row.tolist(), ref.col.tolist(), ref.data.tolist()))
    assert [(r, c) for r, c, _ in got] == [(r, c) for r, c, _ in want]
    assert np.allclose([v for *_, v in got], [v for *_, v in want], rtol=0, atol=1e-12)


def test_plain_arrays_give_scikit_learns_probabilities():
    """`Softmax` (what is saved and run) against the fitted LogisticRegression, multinomial and binary."""
    from sklearn.linear_model import LogisticRegression

    from gazette_nlp.lines.classifier import Softmax

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 6))
    for y in (np.array(["a", "b", "c", "d"])[rng.integers(0, 4, 200)], np.array(["x", "y"])[rng.integers(0, 2, 200)]):
        clf = LogisticRegression(max_iter=500).fit(X, y)
        s = Softmax.of(clf)
        assert s.classes == tuple(clf.classes_)
        assert np.allclose(s.proba(X @ s.coef.T + s.intercept), clf.predict_proba(X), atol=1e-12)


def test_shipped_model_has_a_card():
    card = json.loads((REPO / "models" / "line_classifier" / "card.json").read_text(encoding="utf-8"))
    assert {"data", "metrics", "date", "command"} <= set(card)


# ------------------------------------------------------------------ classes of real pages (issue 14)
def test_real_page_line_classes():
    """Page numbers between table rows, a contact sentence vs contact lines, subsection headings vs furniture,
    split table-header words: a page written in the shape of real ones (tests/fixtures/real_shapes)."""
    from pathlib import Path

    from gazette_nlp.lines import classify_lines
    from gazette_nlp.readers.text import read_path

    report = classify_lines(read_path(Path(__file__).parent / "fixtures" / "real_shapes" / "page_lines.txt"))
    label = {ln.n: ln.label for ln in report.lines if not ln.blank}
    assert [label[n] for n in (8, 22, 37)] == ["other"] * 3  # '- 2 -', '-3-' inside table 二, '第 4 页 共 4 页'
    assert label[4] == "narrative"  # the preamble's contact sentence is prose
    assert [label[n] for n in (35, 36)] == ["other"] * 2  # contact lines standing alone
    assert [label[n] for n in (6, 9)] == ["heading"] * 2 and [label[n] for n in (1, 2)] == ["other"] * 2
    assert [label[n] for n in (14, 15, 27, 28)] == ["table_row"] * 4  # '本年新' / '制发件数', '商业' / '企业'


def test_window_means_equal_numpys_mean_of_each_window():
    """The vectorised neighbourhood means are numpy's own, bit for bit, at every length and position (the shipped
    line model was trained on these features): fractions, 0/1 flags and documents shorter than a window."""
    from gazette_nlp.lines.features import window_means

    rng = np.random.default_rng(5)
    for m in list(range(0, 21)) + [57, 176]:
        for x in (rng.random(m), rng.integers(0, 2, m), rng.random(m) ** 3):
            x = x.astype(np.float32)
            for half in (3, 4):
                want = np.array([x[max(0, j - half): j + half + 1].mean() for j in range(m)], dtype=np.float32)
                got = window_means(x, half)
                assert got.dtype == np.float32 and np.array_equal(got.view(np.uint32), want.view(np.uint32))
