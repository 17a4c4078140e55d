"""Narrative facts end to end: the shipped tagger on real-shaped sentences, linking, agrees and mismatches."""
from __future__ import annotations

import pytest

from gazette_nlp.facts import extract_facts, load_tagger
from gazette_nlp.model import Cell, Line, Report


def _report(sentences: list[str], cells: dict[str, int | None]) -> Report:
    lines = [Line(n=i + 1, text=t, norm=t, label="narrative") for i, t in enumerate(sentences)]
    return Report(source="t.txt", lines=lines, cells={k: Cell(k, v) for k, v in cells.items()})


def _facts(report: Report) -> list[tuple[int, int | float, list[str]]]:
    return [(f.line, f.value, f.cells) for f in extract_facts(report).facts]


def test_request_paragraph_facts_and_non_facts():
    report = _report(["2023年，我局共收到政府信息公开申请44件（其中：网上申请42件，邮寄2件），上年度结转0件，"
                      "本年度办结39件，办结率100%。全年主动公开政府信息3972条，召开新闻发布会3次。"],
                     {"t3.new.total": 44, "t3.carried_over.total": 0, "t3.total.total": 39})
    facts = _facts(report)
    # 收到 with the carried-over stated apart reads as new; channels, published items and meetings are not facts
    assert facts == [(1, 44, ["t3.new.total"]), (1, 0, ["t3.carried_over.total"]), (1, 39, ["t3.total.total"])]
    assert all(f.agrees for f in report.facts)
    assert not [i for i in report.issues if i.kind == "narrative_mismatch"]


def test_received_left_undecided_takes_the_reading_the_table_bears_out():
    text = ["2022年，全区收到政府信息公开申请75件，均在法定期限内予以答复。"]
    # new 74 + carried over 1: read as new alone it would disagree; the text does not decide, so no mismatch
    report = _report(text, {"t3.new.total": 74, "t3.carried_over.total": 1})
    fact = extract_facts(report).facts[0]
    assert fact.reading == "undecided" and fact.agrees is True
    assert fact.cells == ["t3.new.total", "t3.carried_over.total"] and fact.alternatives == [["t3.new.total"]]
    assert not report.issues
    # neither reading gives 75: a mismatch, naming the cells and their sum
    report = _report(text, {"t3.new.total": 70, "t3.carried_over.total": 1})
    fact = extract_facts(report).facts[0]
    assert fact.agrees is False
    (issue,) = report.issues
    assert issue.kind == "narrative_mismatch" and issue.lines == [1]
    assert "75" in issue.message and "t3.new.total = 70" in issue.message


def test_granted_and_partial_and_withheld_rows():
    report = _report(["办结依申请公开81件，其中予以公开及部分公开42件，不予公开5件，无法提供29件。"],
                     {"t3.total.total": 81, "t3.granted.total": 40, "t3.partial.total": 2})
    facts = extract_facts(report).facts
    by_value = {f.value: f for f in facts}
    assert by_value[42].cells == ["t3.granted.total", "t3.partial.total"] and by_value[42].agrees is True
    assert len(by_value[5].cells) == 8 and by_value[5].agrees is None  # withheld cells absent: null, no issue
    assert len(by_value[29].cells) == 3
    assert not report.issues


def test_review_outcome_inherits_its_subject_and_a_wrong_count_is_raised():
    report = _report(["全年共收到行政复议1件，维持结果1件；行政诉讼2件。"],
                     {"t4.review.total": 1, "t4.review.upheld": 1, "t4.litigation_direct.total": 1,
                      "t4.litigation_after_review.total": 0})
    facts = _facts(report)
    assert (1, 1, ["t4.review.upheld"]) in facts
    assert (1, 2, ["t4.litigation_direct.total", "t4.litigation_after_review.total"]) in facts
    (issue,) = [i for i in report.issues if i.kind == "narrative_mismatch"]
    assert "sum 1" in issue.message and issue.cells == ["t4.litigation_direct.total",
                                                         "t4.litigation_after_review.total"]


def test_normative_documents_in_force_against_the_table():
    report = _report(["清理并集中发布现行有效行政规范性文件393件，动态更新本年度制发的规范性文件77件。"],
                     {"t2.normative_docs.in_force": 470, "t2.normative_docs.issued": 77})
    facts = extract_facts(report).facts
    assert [(f.value, f.cells, f.agrees) for f in facts] == [
        (393, ["t2.normative_docs.in_force"], False), (77, ["t2.normative_docs.issued"], True)]


def test_model_round_trip(tmp_path):
    tagger = load_tagger()
    tagger.save(tmp_path)
    again = type(tagger).load(tmp_path)
    report = _report(["本年度共受理政府信息公开申请2件，都在法定期限内予以答复。"], {})
    assert _facts(report) == [(1, 2, ["t3.new.total"])]
    assert [(f.value, f.cells) for f in extract_facts(_report(["本年度共受理政府信息公开申请2件。"], {}), again).facts] \
        == [(2, ["t3.new.total"])]
