"""Issuer and year where the title does not give them: one case per layout class met in the real pool excerpts
(lines written here in their shape, names invented), and the cases where the text does not state the issuer."""
import pytest

from gazette_nlp.lines import classify_lines
from gazette_nlp.meta import read_meta
from gazette_nlp.readers.text import report_from_text
from gazette_nlp.sections import segment_sections

_LAW = "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，"


def _meta(text: str) -> dict:
    return read_meta(segment_sections(classify_lines(report_from_text(text)))).meta


@pytest.mark.parametrize("text,issuer,year,source", [
    # the preamble says what it publishes: 现将X…予以公开; the year before the issuer; X编制 after a clause
    (f"{_LAW}现将青川县人民政府2024年政府信息公开工作年度报告予以公开。\n一、总体情况\n", "青川县人民政府", 2024, "preamble"),
    (f"{_LAW}结合2021年安平市公安局政府信息公开工作编制而成。\n一、总体情况\n", "安平市公安局", 2021, "preamble"),
    (f"{_LAW}编制形成2021年河口市人民政府办公室政府信息公开年度报告。\n一、总体情况\n", "河口市人民政府办公室", 2021,
     "preamble"),
    (f"{_LAW}北湖区政务公开领导小组办公室编制了2019年北湖区人民政府信息公开工作年度报告。\n一、总体情况\n",
     "北湖区人民政府", 2019, "preamble"),
    (f"{_LAW}唐河镇政府编制2020年政府信息公开年度报告。\n一、总体情况\n", "唐河镇政府", 2020, "preamble"),
    # compiled by a body's own office, or by a body 'based on' something
    ("本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。本报告由西亭街道综合办公室编制。\n一、总体情况\n",
     "西亭街道", 2024, "preamble"),
    (f"本报告依据《条例》要求，由海湾经济技术开发区管委会结合有关统计数据编制。统计期限自2023年1月1日起。\n一、总体情况\n",
     "海湾经济技术开发区管委会", 2023, "preamble"),
    # the subject of the opening sentence: without a comma after the year, after a clause, with an abbreviation
    ("本报告根据《条例》要求编制。\n一、总体情况\n2022年南城市生态环境局认真贯彻落实《条例》。\n", "南城市生态环境局", 2022,
     "opening sentence"),
    ("为做好2024年政府信息公开年度报告编制发布工作，北亭街道严格落实《条例》。\n一、总体情况\n", "北亭街道", 2024,
     "opening sentence"),
    ("本报告根据《条例》编制。\n一、总体情况\n2021年，汕江市公安局（以下简称“市公安局”）以人民为中心深化政务公开。\n",
     "汕江市公安局", 2021, "opening sentence"),
    ("2020年，盐湖区人力资源和社会保障局信息公开工作在区委的正确领导下稳步推进。\n一、总体情况\n",
     "盐湖区人力资源和社会保障局", 2020, "opening sentence"),
    ("2024年，在区政府政务公开主管部门的引领下，小湾街道办事处严格依照要求公开政务信息。\n一、总体情况\n",
     "小湾街道办事处", 2024, "opening sentence"),
    # a short name in the opening, the full name where the body cites a document of its own
    ("一、总体情况\n2020年度，紧紧围绕教育热点公开信息。\n（一）加强组织领导。市教育局高度重视信息公开工作。\n"
     "（二）健全制度。建立了《铜川市教育局信息公开保密制度》。\n", "铜川市教育局", 2020, "opening sentence"),
    # the contact: a department's own office, a township's disclosure office
    ("本年度报告的相关数据统计时间为2023年1月1日起至2023年12月31日止。如对本报告存在疑问，请与大石市自然资源和规划局"
     "办公室联系（地址：大石市新华路24号）。\n一、总体情况\n2023年，我局推进重点领域信息公开。\n", "大石市自然资源和规划局", 2023,
     "contact"),
    ("现编制并公布本单位2019年政府信息公开工作年度报告。如有疑问，请联系：龙江县大桥乡信息公开领导小组办公室，"
     "邮编：324403。\n一、总体情况\n", "龙江县大桥乡", 2019, "contact"),
    # further in, a name the report gives itself where it says 我乡
    ("编制2019年度我乡信息公开工作年度报告。\n一、总体情况\n2019年我乡高度重视政府信息公开工作。\n二、主动公开政府信息情况\n"
     "截至2019年12月31日，牛山乡人民政府通过信息平台主动公开政府信息3条。\n", "牛山乡人民政府", 2019, None),
    # the signature at the end
    ("根据《条例》规定编制本报告。统计期限自2022年1月1日起。\n一、总体情况\n我镇认真落实。\n石门镇人民政府\n2023年1月20日\n",
     "石门镇人民政府", 2022, "signature"),
    # a site's metadata table: the title as a bulleted or piped field, a dozen lines of chrome above the title
    ("首页>>政务公开\n  • 索引号：283119798/2023-05569\n  • 题名: 吉川省政府信息公开工作2022年度报告\n", "吉川省", 2022, "title"),
    ("索 引 号 | 857935716/2020-37693 |\n题 名 | 汉川市应急管理局2019年政府信息公开工作年度报告 |\n", "汉川市应急管理局", 2019,
     "title"),
    ("\n".join(["无障碍", "长者版", "首页", "政务公开", "部  门", "街  镇", "索引号：1/2025-1", "发布机构：办公室", "发文日期：2025-01-02",
                "主题词:", "字号：大 中 小", "打印"]) + "\n# 枣川县人民政府沙阳街道办事处\n# 2024年度政府信息公开工作报告\n",
     "枣川县人民政府沙阳街道办事处", 2024, "title"),
    # 综合 inside a name (平潭综合实验区) is part of it
    ("标题: 平潭综合实验区2019年度政府信息公开工作年度报告\n发布时间: 2020-01-20\n", "平潭综合实验区", 2019, "title"),
])
def test_issuer_and_year_by_layout(text, issuer, year, source):
    meta = _meta(text)
    assert (meta["issuer"], meta["year"]) == (issuer, year)
    if source:
        assert meta["meta_sources"]["issuer"].startswith(source)


@pytest.mark.parametrize("text", [
    # the contact is the county's office and the report calls itself 我镇: not the issuer
    "现将我镇2023年政府信息公开工作年度报告公布如下。如有疑问请与县政府办公室联系（电话：1234567）。\n一、总体情况\n"
    "2023年，我镇认真落实《条例》。\n",
    # a sentence's subject that is not the kind of body the report calls itself
    "编制2019年度我乡信息公开工作年度报告。\n一、总体情况\n截至2019年12月31日，县人民政府办公室通过平台转办申请2件。\n",
    # a bare level and 政府 names no body
    "一、总体情况\n2019年，乡政府信息工作按照《条例》的要求抓了以下工作。\n",
    # a compiling office whose name is the disclosure office of a government: no body of its own
    "本报告由南川市人民政府信息公开工作领导小组办公室根据《条例》编制。\n一、概述\n",
])
def test_no_issuer_where_the_text_names_none(text):
    assert _meta(text)["issuer"] is None
