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


def _meta(text: str) -> dict:
    return read_meta(classify_lines(report_from_text(text))).meta


@pytest.mark.parametrize("text,issuer,year", [
    # a crawler's field label and a site's menu words are not part of the issuer
    ("标题: 青峰区教育局2024年度政府信息公开工作年度报告\n发布时间: 2025-01-20\n一、总体情况\n", "青峰区教育局", 2024),
    ("部  门\n街  镇\n白杨县柳河镇人民政府 2025年政府信息公开工作年度报告\n日期:2026-01-09\n", "白杨县柳河镇人民政府", 2025),
    ("标 题 东坡区民政局政府信息公开工作2023年度报告\n文 号 无\n", "东坡区民政局", 2023),
    # the year before the issuer, a year printed without 年
    ("2019年石桥乡政府信息公开工作年度报告\n来源:石桥乡\n", "石桥乡", 2019),
    ("南江区卫生健康委员会 2021政府信息公开工作年度报告\n按照《条例》要求编制本报告。\n", "南江区卫生健康委员会", 2021),
    # a title fused with the first sentence of the preamble
    ("和平街道2024年政府信息公开工作年度报告根据《中华人民共和国政府信息公开条例》规定，编制本报告。\n一、总体情况\n",
     "和平街道", 2024),
    # no title: the preamble names the issuer; a pronoun is no issuer, the statistics period gives the year
    ("根据《条例》规定，现公布西山市人民政府办公室2022年政府信息公开工作年度报告。\n一、总体情况\n", "西山市人民政府办公室", 2022),
    ("根据《条例》规定，现公布我局2022年政府信息公开工作年度报告。\n一、总体情况\n", None, 2022),
    ("本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。我乡认真落实各项要求。\n一、总体情况\n", None, 2023),
    # a year mentioned in passing is not the year of the report
    ("一、总体情况\n2022年以来，我镇不断加强政务公开工作。\n", None, None),
])
def test_meta_classes_of_real_pages(text, issuer, year):
    meta = _meta(text)
    assert (meta["issuer"], meta["year"]) == (issuer, year)
    if issuer:
        assert meta["meta_sources"]["issuer"].startswith(("title", "preamble"))


@pytest.mark.parametrize("name,level", [("上海市人民政府办公厅", "province"), ("梅县区人民政府办公室", "county"),
                                        ("自然资源部", "department"), ("桃园开发区管委会", "department")])
def test_levels_of_offices_and_municipalities(name, level):
    assert level_of(name) == level
