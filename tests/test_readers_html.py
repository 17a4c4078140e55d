"""Web pages: lxml, declared charsets (UTF-8, GB18030), <table> rows as tab lines, navigation and scripts dropped."""
import json

import pytest

from conftest import GOLD, REPO

pytest.importorskip("lxml")
from gazette_nlp.readers.html import read_html  # noqa: E402

FIX = REPO / "tests" / "fixtures" / "readers"
IDS = ["002_42101ead988e0218", "004_4d52fde21a8cca17"]


@pytest.mark.parametrize("rid", IDS)
def test_html_cells_as_from_text(rid):
    import gazette_nlp

    gold = json.loads((GOLD / f"{rid}.json").read_text(encoding="utf-8"))
    report = gazette_nlp.parse(FIX / f"{rid}.html")
    assert report.meta["input"] == "html"
    ok = sum(1 for cid, v in gold["cells"].items() if cid in report.cells and report.cells[cid].value == v)
    assert ok == len(gold["cells"])


def test_gb18030_page_declared_in_meta():
    data = (FIX / "004_4d52fde21a8cca17.html").read_bytes()
    assert b"charset=gb18030" in data[:300]
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = read_html(data)
    assert report.meta["encoding"] == "gb18030"
    assert report.lines[0].text.startswith("杏岭子乡")


def test_gbk_declared_reads_as_gb18030():
    page = '<html><head><meta charset="GBK"></head><body><p>政府信息公开工作年度报告</p></body></html>'
    report = read_html(page.encode("gb18030"))
    assert report.lines[0].text == "政府信息公开工作年度报告" and report.meta["encoding"] == "gb18030"


def test_tables_scripts_and_navigation():
    page = """<!DOCTYPE html><html><head><title>t</title><style>p{color:red}</style></head><body>
    <nav><a>首页</a> &gt; <a>政务公开</a></nav><div class="breadcrumb">当前位置：首页</div>
    <script>document.write("统计代码")</script>
    <h1>某县 2024年政府信息公开工作年度报告</h1><p>一段  文字，<br>第二行</p>
    <table><tbody><tr><td>规章</td><td> 0 </td><td></td><td>3</td></tr>
    <tr><th>信息内容</th><td>本年<br>制发件数</td></tr></tbody></table><p>完</p></body></html>"""
    lines = [l.text for l in read_html(page.encode()).lines if l.text]
    assert lines == ["某县 2024年政府信息公开工作年度报告", "一段 文字，", "第二行", "规章\t0\t\t3", "信息内容\t本年制发件数", "完"]
