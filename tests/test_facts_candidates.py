"""Fact candidates (gazette_nlp.facts.candidates): numbers in prose, their values, kinds and clauses."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazette_nlp.facts import chinese_number, extract_candidates, words

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "training" / "annotations" / "facts"


def _facts_of(text: str) -> list[tuple[float | int, bool, str | None, str]]:
    return [(c.value, c.approx, c.unit, c.text) for c in extract_candidates(text) if c.can_be_fact]


def test_request_sentence_yields_each_quantity_in_its_clause():
    text = "全年共受理政府信息公开申请128件，办结121件（含上年结转7件），同比增长12.5%；行政复议6件，其中维持4件。"
    assert _facts_of(text) == [
        (128, False, "件", "全年共受理政府信息公开申请128件"),
        (121, False, "件", "办结121件"),
        (7, False, "件", "含上年结转7件"),
        (6, False, "件", "行政复议6件"),
        (4, False, "件", "其中维持4件"),
    ]
    assert [c.kind for c in extract_candidates(text)].count("percent") == 1


def test_scales_approximations_and_printed_forms():
    facts = _facts_of("作出行政处罚1.2万余件，许可决定近3000件，办理申请１，２０５件中的７４,８３３条，超2300万次")
    assert facts[0][:3] == (12000, True, "件")
    assert facts[1][:3] == (3000, True, "件")
    assert (74833, False, "条") in [f[:3] for f in facts]
    assert facts[-1][:3] == (23_000_000, True, "次")
    # a full-width comma is a clause break, not a thousands separator
    assert (1, False, None) in [f[:3] for f in facts]


def test_money_is_counted_in_wan_yuan_as_the_fee_cell_prints_it():
    facts = _facts_of("全年收取行政事业性收费282.1万元，另收取信息处理费500元，合计约1.5亿元")
    assert [(v, u) for v, _, u, _ in facts] == [(282.1, "万元"), (0.05, "万元"), (15000, "万元")]
    assert facts[2][1] is True


def test_dates_phones_codes_and_document_numbers_are_never_fact_candidates():
    text = ("本报告统计期限自2024年1月1日起至2024年12月31日止，发布时间：2025-01-20 15:22。"
            "依据国办函〔2020〕109号和国务院令第711号，联系电话：0591-23165250，0350—4306266，"
            "邮编：350400，地址：商务营运中心7号楼14层，电子邮箱pzxxgkb@163.com，第二届进博会，H5作品，"
            "规划（2021-2035），2019-2020学年。")
    cands = extract_candidates(text)
    assert cands, "the numbers are still found"
    assert not [c for c in cands if c.can_be_fact], [(c.kind, c.text) for c in cands if c.can_be_fact]
    kinds = {c.kind for c in cands}
    assert {"year", "date", "time", "doc_number", "phone", "code", "address"} <= kinds


def test_item_numbers_are_enumerators():
    cands = extract_candidates("加强宣传。3.创新公开形式（2）提高服务质量。2、推进公开")
    assert [c.kind for c in cands] == ["enumerator", "enumerator", "enumerator"]


def test_a_list_of_quantities_gives_each_its_own_clause():
    facts = _facts_of("全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件，关停政府网站1个、政务新媒体2个")
    assert [t for *_, t in facts] == ["全区收到政府信息公开申请75件", "涉及自然人72件", "商业企业3件",
                                      "关停政府网站1个", "政务新媒体2个"]


def test_chinese_numerals_only_before_a_counter():
    assert chinese_number("十一") == 11
    assert chinese_number("二十") == 20
    assert chinese_number("一百零五") == 105
    assert chinese_number("两千") == 2000
    assert chinese_number("二〇三五") is None
    facts = _facts_of("一是加强领导，一网通办，全年受理行政复议两件、行政诉讼十一起，二〇三五年远景目标，第一时间回应")
    assert [(v, u) for v, _, u, _ in facts] == [(2, "件"), (11, "起")]


def test_offsets_and_line_are_kept():
    text = "（二）依申请公开。本年度新收申请36件。"
    (cand,) = extract_candidates(text, line=12)
    assert cand.line == 12
    assert text[cand.number_start:cand.number_end] == "36"
    assert text[cand.start:cand.end] == "36件"


def test_words_keep_every_number_one_token_and_give_the_text_back():
    text = "全年共受理申请1.2万余件，其中予以公开58件，占48.3%。"
    cands = extract_candidates(text)
    tokens, ranges = words(text, cands)
    assert "".join(tokens) == text
    assert [tokens[a:b] for a, b in ranges] == [["1.2万"], ["58"], ["48.3"]]


def test_every_hand_labelled_fact_is_a_candidate_of_its_line():
    from gazette_nlp.readers.route import read_any
    from training.facts_check import source_path

    found = total = 0
    for path in sorted(FACTS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lines = {ln.n: ln.text for ln in read_any(source_path(data["source"])).lines}
        for fact in data["facts"]:
            total += 1
            text = lines[fact["line"]]
            start = text.find(fact["text"])
            end = start + len(fact["text"])
            found += any(c.can_be_fact and c.value == fact["value"] and start <= c.number_start < end
                         for c in extract_candidates(text, fact["line"]))
    assert total >= 45
    assert found == total
