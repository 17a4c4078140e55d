"""Issuer, year and administrative level from the title."""
import pytest

from gazette_nlp.lines import classify_lines
from gazette_nlp.meta import level_of, read_meta
from gazette_nlp.readers.text import report_from_text


@pytest.mark.parametrize("sid,issuer,year,level", [
    ("000_3e65870ca69ee4e2", "裴山镇人民政府", 2024, "township"),  # title split over two lines
    ("001_09c6e234b179f3b0", "下冶镇人民政府", 2021, "township"),  # markdown title
    ("002_42101ead988e0218", "郏县人民政府", 2024, "county"),  # traditional 郟 read as 郏
    ("003_cc5777ecc468ec6c", "隆德县联财镇人民政府", 2024, "township"),
    ("004_4d52fde21a8cca17", "杏岭子乡", 2024, "township"),
])
def test_meta_of_the_shared_reports(sample_texts, sid, issuer, year, level):
    meta = read_meta(classify_lines(report_from_text(sample_texts[sid]))).meta
    assert (meta["issuer"], meta["year"], meta["level"]) == (issuer, year, level)


def test_breadcrumb_is_not_taken_for_the_title():
    text = "当前位置: 首页 > 政府信息公开年度报告 > 苏州市\n\n苏州市2017年政府信息公开工作年度报告\n\n一、概述\n"
    meta = read_meta(classify_lines(report_from_text(text))).meta
    assert (meta["issuer"], meta["year"], meta["level"]) == ("苏州市", 2017, "city")


@pytest.mark.parametrize("name,level", [("重庆市大足区人民政府外事办公室", "department"), ("安镇街道", "township"),
                                        ("广东省人民政府", "province"), ("紫金县人民政府", "county")])
def test_levels(name, level):
    assert level_of(name) == level
