"""Report metadata: issuer, the year the report covers, administrative level, and where each was found.

Candidates, most trusted first: the title (a short line near the top naming the report, also a title split over
two lines, a crawler's `标题:` field, a title fused with the first sentence), then the preamble (`现公布X2023年
政府信息公开工作年度报告`, `统计期限自2024年1月1日`). Field labels and menu words are stripped; a pronoun (`我局`) or
a name that is only a year is no issuer. A value the text does not state stays `None`: never a guess.
`meta['meta_sources']` says where each value came from (`title line 3`, `preamble line 5`).
"""
from __future__ import annotations

import re

from .model import Line, Report

_REPORT = r"(?:政府信息公开|政务公开|信息公开)"
_YEAR_RE = r"((?:19|20)\d{2})"
# 'X2024年政府信息公开…', 'X 2021政府信息公开…' (a year without 年), 'X政府信息公开工作2025年度报告'
_TITLE = re.compile(rf"^(?P<issuer>.{{0,40}}?)\s*(?:{_YEAR_RE}\s*(?:年度|年)?\s*(?:度\s*)?{_REPORT}"
                    rf"|{_REPORT}(?:工作)?\s*{_YEAR_RE}\s*年)")
_PLAIN_TITLE = re.compile(rf"^(?P<issuer>.{{2,40}}?)\s*{_REPORT}")
_LEADING_YEAR = re.compile(rf"^{_YEAR_RE}\s*年度?\s*")
_FIELD = re.compile(r"^\s*(?:(?:页面)?标\s*题|名\s*称|题\s*名)\s*[:：]?\s*")  # a crawler's or site's field label
_PREAMBLE = re.compile(rf"(?:现(?:将|予)?(?:公布|发布|公开)|特(?:编制|发布|公布)|编制(?:完成)?了?|向社会公布)\s*《?"
                       rf"(?P<issuer>[^，。,《》“”\s]{{2,40}}?)\s*{_YEAR_RE}\s*年度?\s*{_REPORT}")
# '本报告由X（党政办公室）编制', 'X编制了本报告'
_COMPILED_BY = re.compile(r"(?:本(?:年度)?报告)?由(?P<issuer>[^，。,《》“”\s]{2,40}?)(?:党政办公室|党政办|办公室)?"
                          r"(?:负责)?(?:汇总)?(?:编制|编写|起草)")
_PERIOD = re.compile(rf"(?:(?:统计期限|统计时限|统计周期|统计时间|数据统计)[^。]{{0,8}}?{_YEAR_RE}\s*年\s*1\s*月\s*1\s*日"
                     rf"|截(?:止|至)(?:到)?\s*{_YEAR_RE}\s*年\s*12\s*月\s*31\s*日)")
# the first sentence of section 一: '2022年，白云街以…', '2024年,教育局深入贯彻…' (the year of the work reported)
_OPENING = re.compile(rf"^\s*{_YEAR_RE}\s*年度?\s*[,，]\s*(?P<issuer>[^，,。、“”《》\s]{{2,24}}?)"
                      r"(?:以|坚持|深入|认真|严格|积极|紧紧|紧扣|全面|持续|不断|高度|按照|围绕|在|始终|切实|进一步|结合|聚焦|立足|着力)")
_YEAR_REPORT = re.compile(rf"{_YEAR_RE}\s*年度?\s*{_REPORT}(?:工作)?(?:年度)?(?:报告|年报)")
_PRONOUN = re.compile(r"^(?:我|本|该|贵)(?:局|委|办|厅|镇|乡|街道|区|县|市|单位|机关|中心|公司|院)?$")
_MENU = ("街镇", "部门", "乡镇", "区县", "首页", "当前位置", "信息公开", "政务公开")
LEVELS = (  # most specific suffix first
    ("township", ("街道办事处", "街道办", "街道", "乡人民政府", "镇人民政府", "乡政府", "镇政府", "乡", "镇", "街")),
    ("department", ("局", "委员会", "管委会", "办公室", "办公厅", "厅", "中心", "委", "办", "分局", "院", "所", "站", "部")),
    ("county", ("县人民政府", "区人民政府", "旗人民政府", "县", "旗", "区")),
    ("city", ("市人民政府", "州人民政府", "盟行政公署", "自治州", "市", "盟", "州")),
    ("province", ("省人民政府", "自治区人民政府", "省", "自治区")),
)
_INSTITUTIONS = tuple({x for _, suffixes in LEVELS for x in suffixes} | {"政府", "办事处", "实验区", "开发区", "新区"})
_NOT_A_NAME = ("我", "工作", "信息公开", "政务公开", "结合", "有关", "紧密", "本单位", "综合", "报告", "情况")
_GOV_OFFICE = re.compile(r"^(.*(?:省|市|县|区|旗|州|盟|自治区))人民政府办公(?:厅|室)$")  # a government's own office


_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")  # cities at the level of a province


def level_of(issuer: str) -> str | None:
    if issuer in tuple(m + s for m in _MUNICIPALITIES for s in ("", "人民政府", "人民政府办公厅")):
        return "province"
    office = _GOV_OFFICE.match(issuer)
    if office:  # 广东省人民政府办公厅 is at the province's level
        return level_of(office.group(1) + "人民政府")
    for level, suffixes in LEVELS:
        if any(issuer.endswith(s) for s in suffixes):
            return level
    return None


def _clean_issuer(raw: str) -> str | None:
    s = _FIELD.sub("", raw).strip(" \t，,：:　")
    s = _LEADING_YEAR.sub("", s)
    s = re.sub(r"^并?(?:向社会)?(?:公布|发布|公开)?", "", s) if s.startswith("并") else s  # '编制并公布X…'
    for w in _MENU:
        if s.startswith(w) and len(s) > len(w) + 1:
            s = s[len(w):]
    s = s.replace(" ", "").strip("“”\"《》()（）")
    if not s.endswith(_INSTITUTIONS) or any(w in s for w in _NOT_A_NAME):
        return None  # a name ends in what the body is (局, 街道, 人民政府 …); a clause does not
    if len(s) < 2 or _PRONOUN.match(s) or s in ("政府", "人民政府", "政务") or s.startswith(("关于", "根据", "按照", "依据", "为")) or re.search(r"\d", s):
        return None
    return s


def _from_title(report: Report) -> tuple[str | None, int | None, int | None]:
    """(issuer, year, line) from the report's title, or Nones."""
    heads = [ln for ln in report.lines[:20] if not ln.blank][:8]
    for i, ln in enumerate(heads):
        text = _FIELD.sub("", ln.norm).strip()
        if ">" in text or not re.search(rf"{_REPORT}.{{0,6}}(?:年度)?报告|{_REPORT}年报", text):
            continue
        if i and re.match(rf"^{_REPORT}", text) and re.search(rf"{_YEAR_RE}\s*年度?$", heads[i - 1].norm.strip()):
            text = heads[i - 1].norm.strip() + text  # '硚口区…办事处2025年' / '政府信息公开工作年度报告'

        # a title fused with the preamble's first sentence: keep what comes before 根据/为
        text = re.split(r"(?<=报告)(?=根据|按照|依据|为|现将|本报告)", text, maxsplit=1)[0]
        if len(text) > 60:
            continue
        lead = _LEADING_YEAR.match(text)  # '2019年川主乡政府信息公开工作年度报告'
        body = text[lead.end():] if lead else text
        m = _TITLE.match(body) or (_PLAIN_TITLE.match(body) if lead else None)
        if not m:
            continue
        year = next((int(g) for g in m.groups()[1:] if g), None) or (int(lead.group(1)) if lead else None)
        issuer = _clean_issuer(m.group("issuer"))
        if issuer is None and i and len(heads[i - 1].norm.strip()) <= 30 and not re.search(r"\d", heads[i - 1].norm):
            issuer = _clean_issuer(heads[i - 1].norm)  # a title split over two lines: the issuer line before
        return issuer, year, ln.n
    return None, None, None


def _from_preamble(report: Report) -> tuple[str | None, int | None, int | None, int | None]:
    """(issuer, its line, year, its line) stated in the first paragraphs."""
    issuer = year = iline = yline = None
    for ln in [ln for ln in report.lines[:40] if not ln.blank][:12]:
        if issuer is None:
            m = _PREAMBLE.search(ln.norm)
            if m:
                issuer, iline = _clean_issuer(m.group("issuer")), ln.n
                if year is None and issuer:
                    year, yline = int(m.group(2)), ln.n
        if issuer is None:
            m = _COMPILED_BY.search(ln.norm)
            if m:
                issuer, iline = _clean_issuer(m.group("issuer")), ln.n
        if year is None:
            m = _PERIOD.search(ln.norm) or _YEAR_REPORT.search(ln.norm)
            if m:
                year, yline = int(next(g for g in m.groups() if g)), ln.n
    return issuer, iline, year, yline


def _from_opening(report: Report) -> tuple[str | None, int | None, int | None]:
    """(issuer, year, line) from the first sentence of section 一, when it names the body and the year."""
    start = next((s.start for s in report.sections if s.key == "一"), None)
    if start is None:
        return None, None, None
    for ln in report.lines[start - 1:start + 4]:
        m = _OPENING.match(ln.norm)
        if m:
            return _clean_issuer(m.group("issuer")), int(m.group(1)), ln.n
    return None, None, None


def read_meta(report: Report) -> Report:
    issuer, year, tline = _from_title(report)
    sources: dict[str, str] = {}
    if issuer:
        sources["issuer"] = f"title line {tline}"
    if year:
        sources["year"] = f"title line {tline}"
    if issuer is None or year is None:
        p_issuer, p_iline, p_year, p_yline = _from_preamble(report)
        if issuer is None and p_issuer:
            issuer, sources["issuer"] = p_issuer, f"preamble line {p_iline}"
        if year is None and p_year:
            year, sources["year"] = p_year, f"preamble line {p_yline}"
    if issuer is None or year is None:
        o_issuer, o_year, o_line = _from_opening(report)
        if issuer is None and o_issuer:
            issuer, sources["issuer"] = o_issuer, f"section 一 line {o_line}"
        if year is None and o_year:
            year, sources["year"] = o_year, f"section 一 line {o_line}"
    level = level_of(issuer) if issuer else None
    report.meta["issuer"] = issuer
    report.meta["year"] = year
    report.meta["level"] = level
    report.meta["meta_sources"] = sources
    return report
