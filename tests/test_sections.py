"""Sections from headings when present, from content when a heading was lost or truncated."""
from gazette_nlp.readers.text import report_from_text
from gazette_nlp.sections import heading_key, segment_sections


def sections(text: str) -> dict[str, tuple[int, int, int | None]]:
    r = segment_sections(report_from_text(text))
    return {s.key: (s.start, s.end, s.heading) for s in r.sections}


def test_all_six_sections_of_each_complete_sample(sample_texts):
    for sid, text in sample_texts.items():
        keys = list(sections(text))
        assert keys[-6:] == ["一", "二", "三", "四", "五", "六"], sid


def test_truncated_heading_of_section_four(sample_texts):
    s = sections(sample_texts["003_cc5777ecc468ec6c"])
    assert s["四"][2] == 75  # '四、政府信息公开行政复议、行政诉讼情' lacks its last character


def test_lost_heading_of_section_three_is_inferred_from_table_rows(sample_texts):
    s = sections(sample_texts["004_4d52fde21a8cca17"])
    assert s["三"][0] == 34 and s["三"][2] is None  # starts at '5. 属于三类内部事务信息'
    assert s["二"][1] < 34


def test_table_row_labels_with_numbering_are_not_section_headings():
    assert heading_key("一、本年新收政府信息公开申请数量") is None
    assert heading_key("四、结转下年度继续办理") is None
    assert heading_key("## 一、总体情况".lstrip("# ")) == "一"
    assert heading_key("一、主要工作概述") == "一"  # 2017-era wording


def test_missing_headings_everywhere_gives_a_preamble_only():
    assert list(sections("政府信息公开工作年度报告\n今年我们做了很多工作。")) == ["preamble"]
