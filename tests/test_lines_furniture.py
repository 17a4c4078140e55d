"""Web-page furniture around a report's title, in the shapes of real pages (invented names): a site's metadata
table that repeats the title as a field, menu words, a graphic-version link, a byline, a page id; the title itself
and the preamble's contact sentence must keep their labels."""
import pytest

from gazette_nlp.lines import classify_lines
from gazette_nlp.readers.text import report_from_text

_PREAMBLE = ("根据《中华人民共和国政府信息公开条例》规定，现公布本局2025年政府信息公开工作年度报告。如对本报告有任何疑问，"
             "请与青山区教育局办公室联系（地址：青山区人民路12号，电话：0518-1234567）。")
_BODY = ["一、总体情况", "2025年，我局坚持以公开为常态，持续推进政务公开工作。", "（一）主动公开",
         "全年主动公开政府信息120条，其中政策文件12条。"]

PAGES = {
    # a site's metadata table in spaced columns (P038's shape), then the title printed again as the heading
    "index table": (["索 引 号 0142581323/2026-00001 分 类 科技、教育/教育 / 报告", "发布机构 教育局 发文日期 2026-01-15",
                     "标 题 青山区教育局政府信息公开工作2025年度报告", "文 号 无〔〕号 主 题 词", "时 效 有效", "",
                     "青山区教育局政府信息公开工作2025年度报告", "", _PREAMBLE, *_BODY],
                    {3: "other", 5: "other", 7: "heading", 9: "narrative"}),
    # menu words on their own lines above the title (P073's shape)
    "menu words": (["部  门", "街  镇", "青山区石门镇人民政府 2025年政府信息公开工作年度报告", "日期:2026-01-09", "字 号:", "",
                    _PREAMBLE, *_BODY], {1: "other", 2: "other", 3: "heading", 4: "other", 7: "narrative"}),
    # fields with colons and the title as 名称 (P090's shape), a graphic-version link after the title (P066)
    "named fields": (["索引号: 006939748/2025-00084 分类:", "发布机构: 青山区人民政府 成文日期: 2026-03-31",
                      "名称: 青山区人民政府2025年政府信息公开工作年度报告", "文号: 发布日期: 2026-03-31", "",
                      "青山区人民政府2025年政府信息公开工作年度报告", "", "(图解)青山区人民政府2025年政府信息公开工作年度报告", "",
                      _PREAMBLE, *_BODY], {3: "other", 6: "heading", 8: "other", 10: "narrative"}),
    # a breadcrumb, the title, page chrome, then the title printed again without its year (P048's shape)
    "title again": (["当前位置:街镇 > 石门镇 > 政务公开 > 政府信息公开年报", "石门镇2025年政府信息公开工作年度报告", "日期:2026-01-29",
                     "字体:【 默认 超大", "分享:", "", "石门镇政府信息公开工作年度报告", "", _PREAMBLE, *_BODY],
                    {1: "other", 2: "heading", 3: "other", 7: "heading", 9: "narrative"}),
    # a lone breadcrumb mark and a search box's words above the title (P092's shape)
    "search box": ([">", "热门搜索:", "职称申报   国土调查", "青山省自然资源厅2025年政府信息公开工作年度报告", "", _PREAMBLE, *_BODY],
                   {1: "other", 2: "other", 4: "heading"}),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_furniture_around_the_title(name):
    lines, expected = PAGES[name]
    report = classify_lines(report_from_text("\n".join(lines) + "\n"))
    got = {ln.n: ln.label for ln in report.lines if not ln.blank}
    assert {n: got[n] for n in expected} == expected
