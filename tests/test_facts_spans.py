"""The generator's narrative facts and the spaCy fact component (spancat over one span per candidate)."""
from __future__ import annotations

import json

import pytest

from gazette_nlp.facts import extract_candidates, narrative_sites
from gazette_nlp.facts.span_tagger import CANDIDATES_KEY, SpanFactTagger, blank_nlp, sentence_docs
from gazette_nlp.facts.tagger import Tagged, combine
from gazette_nlp.model import Line, Report
from training.facts_check import cell_ids
from training.synth import generate_report
from training.synth.narrative_facts import QUANTITIES


def _report(sentences: list[str]) -> Report:
    lines = [Line(n=i + 1, text=t, norm=t, label="narrative") for i, t in enumerate(sentences)]
    return Report(source="t.txt", lines=lines)


def test_narrative_facts_are_opt_in_and_leave_default_records_unchanged():
    plain = generate_report(11)
    assert "facts" not in plain
    assert json.dumps(generate_report(11, narrative_facts=False)) == json.dumps(plain)
    assert json.dumps(generate_report(11, narrative_facts=True)) != json.dumps(plain)


def test_generated_facts_follow_the_spec_and_state_the_tables():
    ids = cell_ids()
    seen = {"agree": 0, "wrong": 0, "approx": 0, "undecided": 0}
    for seed in range(40):
        rec = generate_report(seed, narrative_facts=True)
        lines = {ln["n"]: ln for ln in rec["lines"]}
        for f in rec["facts"]:
            assert set(f) <= {"line", "text", "value", "cells", "agrees", "approx", "alternatives"}
            line = lines[f["line"]]
            assert line["label"] == "narrative" and f["text"] in line["text"]
            assert set(f["cells"]) <= ids
            values = [rec["cells"].get(c) for c in f["cells"]]
            if any(v is None for v in values):
                assert f["agrees"] is None
                continue
            total = sum(values)
            if f.get("approx"):
                assert f["agrees"] == (abs(total - f["value"]) <= 0.05 * max(f["value"], 1))
                seen["approx"] += 1
            else:
                assert f["agrees"] == (abs(total - f["value"]) < 1e-6)
            seen["agree" if f["agrees"] else "wrong"] += 1
            seen["undecided"] += bool(f.get("alternatives"))
    assert all(n > 0 for n in seen.values()), seen  # every kind of statement occurs


def test_generated_distractors_are_in_the_text_but_not_facts():
    for seed in range(40):
        rec = generate_report(seed, narrative_facts=True)
        text = rec["text"]
        if "主动公开政府信息" in text and "信息处理费" in text:
            break
    stated = {(f["line"], f["text"]) for f in rec["facts"]}
    assert not [s for s in stated if "主动公开政府信息" in s[1] or "信息处理费" in s[1]]


def test_sentence_docs_give_one_span_per_candidate_ending_at_its_number():
    sentence = "全年共受理政府信息公开申请128件，办结121件，按时办结率100%。"
    sites = narrative_sites(_report([sentence]))
    nlp = blank_nlp()
    docs, where = sentence_docs(nlp.vocab, sites)
    assert len(docs) == 1 and [w[1] for w in where] == [0, 1]
    spans = docs[0].spans[CANDIDATES_KEY]
    assert [s[-1].text for s in spans] == ["128", "121"]  # the percentage is no count/money candidate
    assert spans[0].text.startswith("全年") and spans[1].text == "办结121"


@pytest.fixture(scope="module")
def small_span_tagger():
    sentences = ["全年共受理政府信息公开申请{}件，办结{}件，召开会议{}次。", "本年度行政复议{}件，发布政策解读{}篇。"]
    labels = [["received", "handled", "O"], ["review", "O"]]
    report = _report([s.format(*[7 + i + k for k in range(3)]) for i in range(12) for s in sentences])
    sites = narrative_sites(report)
    gold = [lab for i in range(12) for labs in labels for lab in labs]
    assert len(sites) == len(gold)
    return SpanFactTagger.fit(sites, gold, epochs=12), sites, gold


def test_span_tagger_learns_and_round_trips(small_span_tagger, tmp_path):
    tagger, sites, gold = small_span_tagger
    predicted = [t.label for t in tagger.predict(sites)]
    assert sum(p == g for p, g in zip(predicted, gold)) / len(gold) >= 0.9
    tagger.save(tmp_path / "spans")
    loaded = SpanFactTagger.load(tmp_path / "spans")
    assert loaded.scores(sites[:5]) == pytest.approx(tagger.scores(sites[:5]), abs=1e-6)


def test_combine_reranks_only_cue_proposed_labels():
    site = narrative_sites(_report(["办结121件。"]))[0]
    tagged = Tagged(site, "handled", 0.6, {"handled": 0.6, "received": 0.55})
    assert combine(tagged, {"handled": 0.1, "received": 0.9, "review": 1.0}, 0.5).label == "received"
    assert combine(tagged, {"handled": 0.1, "received": 0.9}, 0.0).label == "handled"
    assert combine(Tagged(site, "O", 0.0, None), {"review": 1.0}, 0.5).label == "O"


def test_candidates_of_generated_fact_lines_carry_the_facts():
    rec = generate_report(5, narrative_facts=True)
    lines = {ln["n"]: ln["text"] for ln in rec["lines"]}
    for f in rec["facts"]:
        values = [c.value for c in extract_candidates(lines[f["line"]]) if c.text == f["text"]]
        assert values == [f["value"]]
    assert set(QUANTITIES["lit"]) == {"t4.litigation_direct.total", "t4.litigation_after_review.total"}
