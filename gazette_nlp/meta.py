"""Report metadata: issuer, the year the report covers, administrative level, and where each was found.

Sources, most trusted first: the title (a short line near the top naming the report, also a title split over
two lines, a crawler's `标题:` field, a title fused with the first sentence); the preamble's statement of what it
publishes (`现公布X2023年政府信息公开…`, `结合2021年X政府信息公开工作`, `本报告由X编制`, `统计期限自2024年1月1日`);
the subject of the opening sentence (`2022年，白云街以…`, `…要求，东亭街道严格落实…`); last, the contact the
preamble names (`请与X办公室联系`: the body whose office answers). Field labels, menu words and a body's own
office are stripped; a pronoun (`我局`) or a name that is only a year is no issuer. A value the text does not state
stays `None`: never a guess. `meta['meta_sources']` says where each value came from (`title line 3`).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .model import Line, Report

_REPORT = r"(?:政府信息公开|政务公开|信息公开)"
_YEAR_RE = r"((?:19|20)\d{2})"
_NAME = r"[^，,。、；;“”《》()（）<>\s:：]"  # a character a body's name can hold
# 'X2024年政府信息公开…', 'X 2021政府信息公开…' (a year without 年), 'X政府信息公开工作2025年度报告'
_TITLE = re.compile(rf"^(?P<issuer>.{{0,40}}?)\s*(?:{_YEAR_RE}\s*(?:年度|年)?\s*(?:度\s*)?{_REPORT}"
                    rf"|{_REPORT}(?:工作)?\s*{_YEAR_RE}\s*年)")
_PLAIN_TITLE = re.compile(rf"^(?P<issuer>.{{2,40}}?)\s*{_REPORT}")
_LEADING_YEAR = re.compile(rf"^{_YEAR_RE}\s*年度?\s*")
_FIELD = re.compile(r"^[\s•·]*(?:(?:页面)?标\s*题|名\s*称|题\s*名)\s*[:：|]?\s*")  # a crawler's or site's field label
# 'X编制2020年政府信息公开年度报告' after a clause ('…通知》要求，唐村镇政府编制2020年…')
_COMPILES = re.compile(rf"[,，]\s*(?P<issuer>{_NAME}{{2,30}}?)\s*编制(?:完成|形成)?了?\s*《?{_YEAR_RE}\s*年度?\s*{_REPORT}")
_PREAMBLE = re.compile(rf"(?:现(?:将|予)?(?:公布|发布|公开)|现将|特(?:编制|发布|公布)|编制(?:完成)?了?|向社会公布)\s*《?"
                       rf"(?P<issuer>{_NAME}{{2,40}}?)\s*{_YEAR_RE}\s*年度?\s*{_REPORT}")
# the year before the issuer: '编制形成2021年X政府信息公开年度报告', '结合2025年X政府信息公开工作实际', '结合X政府信息公开工作'
_YEAR_FIRST = re.compile(rf"(?:编制(?:形成|完成|发布)?了?|形成|现(?:将|予)?(?:公布|发布)|结合)\s*《?(?:{_YEAR_RE}\s*年度?)?\s*"
                         rf"(?P<issuer>{_NAME}{{2,40}}?)\s*{_REPORT}(?:工作)?(?:年度)?(?:报告|年报|工作)")
# '本报告由X（党政办公室）编制', '由X结合有关统计数据编制', '本报告由X根据《条例》…编制'
_OFFICE = r"(?:党政综合办公室|综合办公室|党政办公室|综合办|党政办|办公室)"
_COMPILED_BY = re.compile(rf"(?:本(?:年度)?报告)?由(?P<issuer>{_NAME}{{2,40}}?){_OFFICE}?"
                          r"(?:(?:负责)?(?:汇总)?(?:编制|编写|起草)|(?=根据|依据|按照|结合))")
_PERIOD = re.compile(rf"(?:(?:统计期限|统计时限|统计周期|统计时间|数据统计)[^。]{{0,8}}?{_YEAR_RE}\s*年\s*1\s*月\s*1\s*日"
                     rf"|截(?:止|至)(?:到)?\s*{_YEAR_RE}\s*年\s*12\s*月\s*31\s*日)")
_VERB = (r"(?:以|坚持|深入|认真|严格|积极|紧紧|紧扣|全面|持续|不断|高度|按照|围绕|在|始终|切实|进一步|结合|聚焦|立足|着力|"
         r"对|根据|依据|贯彻|扎实|狠抓|把|将|高质量|多措并举|通过)")
# the subject of an opening sentence: at its start after the year ('2022年，X以…', '2022年X认真…') or after a
# comma ('…工作要求，X严格落实…'); 'X信息公开工作在…' names X too
_SUBJECT = re.compile(rf"(?:^\s*{_YEAR_RE}\s*年度?\s*[,，]?|^|[,，])\s*(?P<issuer>{_NAME}{{2,30}}?)"
                      rf"(?:[(（]以下简称[^)）]{{0,12}}[)）])?(?:(?:政府)?信息公开工作|政务公开工作)?{_VERB}")
_RUN_IN = re.compile(r"^\s*[(（]?[一二三四五六七八九十\d]{1,2}[)）、.]?[^。，,]{2,16}[。：:]")  # '(一)加强组织领导。'
_OPENING_YEAR = re.compile(rf"^\s*{_YEAR_RE}\s*年度?\s*[,，]")  # '2024年，…': the year the opening sentence reports
# the contact: '请与X办公室联系', '或直接与X联系', '如有疑问请与X（地址…）', '请联系：X，邮编…'
_CONTACT = re.compile(rf"(?:请|直接)与\s*(?P<a>{_NAME}{{2,40}}?)\s*(?:联系|[（(])|请联系[:：]\s*(?P<b>{_NAME}{{2,40}}?)[，,。(（]")
_SUB_OFFICE = re.compile(r"(?:(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:领导小组)?办公室|" + _OFFICE[3:-1] + r")$")
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
_NOT_A_NAME = ("我", "工作", "信息公开", "政务公开", "结合", "有关", "紧密", "本单位", "报告", "情况", "领导", "的")
_GOV_OFFICE = re.compile(r"^(.*(?:省|市|县|区|旗|州|盟|自治区))人民政府办公(?:厅|室)$")  # a government's own office
_BARE = re.compile(r"^[市区县州省乡镇]")  # '市教育局', '乡政府': a short name, the place left out
_ONLY_LEVEL = re.compile(r"^[市区县州省乡镇](?:人民)?政府$")  # '乡政府' names no body at all


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
    s = s.replace(" ", "").strip("“”\"《》()（）|•·")
    if re.search(r"[:：|•]", s):
        return None  # a field label or a table's bar left in: not a name
    if s.endswith("人民"):  # 'X人民' + '政府信息公开…': the report marker took the government's 政府
        s += "政府"
    if not s.endswith(_INSTITUTIONS) or any(w in s for w in _NOT_A_NAME):
        return None  # a name ends in what the body is (局, 街道, 人民政府 …); a clause does not
    if len(s) < 2 or _PRONOUN.match(s) or _ONLY_LEVEL.match(s) or s in ("政府", "人民政府", "政务") or s.startswith(("关于", "根据", "按照", "依据", "为", "在", "对")) or re.search(r"\d", s):
        return None
    return s


def _contact_body(raw: str) -> str | None:
    """The body whose office a contact names: 'X局办公室' → 'X局', 'X乡信息公开领导小组办公室' → 'X乡'; a
    government's own office ('X市人民政府办公室') is a body itself and stays."""
    s = raw.split("办公室")[0] + "办公室" if "办公室" in raw[:-3] else raw  # '…管委会办公室保密与电子政务处'
    stripped = _SUB_OFFICE.sub("", s)
    if stripped != s and not stripped.endswith("政府"):
        s = stripped
    return _clean_issuer(s)


def _where(ln: Line) -> int:
    return ln.printed_n or ln.n  # a virtual line names the printed line it was cut from


def _from_title(report: Report) -> tuple[str | None, int | None, int | None]:
    """(issuer, year, line) from the report's title, or Nones."""
    heads = [ln for ln in report.lines[:40] if not ln.blank][:16]  # web chrome can print a dozen lines above it
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
        if m:
            year = next((int(g) for g in m.groups()[1:] if g), None) or (int(lead.group(1)) if lead else None)
            issuer = _clean_issuer(m.group("issuer"))
        elif lead and re.match(rf"^\s*{_REPORT}", body):  # '2024年度政府信息公开工作报告' under its issuer line
            year, issuer = int(lead.group(1)), None
        else:
            continue
        if issuer is None and i and len(heads[i - 1].norm.strip()) <= 30 and not re.search(r"\d", heads[i - 1].norm):
            issuer = _clean_issuer(heads[i - 1].norm)  # a title split over two lines: the issuer line before
        return issuer, year, _where(ln)
    return None, None, None


def _front(report: Report) -> list[Line]:
    """The preamble's first lines, and the first lines of section 一 (where a report without a preamble opens)."""
    lines = [ln for ln in report.lines[:60] if not ln.blank]
    start = next((s.start for s in report.sections if s.key == "一"), None)
    if start is None:
        return lines[:12]
    body = [ln for ln in lines if ln.n < start][:12]
    return body + [ln for ln in lines if ln.n > start][:3]


def _preamble_statements(report: Report) -> Iterator[tuple[str | None, int | None, Line]]:
    """(issuer, year, line) the preamble states about the report itself, in order of trust."""
    lines = _front(report)
    for ln in lines:
        for m in _PREAMBLE.finditer(ln.norm):
            yield _clean_issuer(m.group("issuer")), int(m.group(2)), ln
        for m in _COMPILES.finditer(ln.norm):
            yield _clean_issuer(m.group("issuer")), int(m.group(2)), ln
        for m in _YEAR_FIRST.finditer(ln.norm):
            yield _clean_issuer(m.group("issuer")), int(m.group(1)) if m.group(1) else None, ln
        for m in _COMPILED_BY.finditer(ln.norm):
            yield _clean_issuer(m.group("issuer")), None, ln
    for ln in lines:
        m = _PERIOD.search(ln.norm) or _YEAR_REPORT.search(ln.norm)
        if m:
            yield None, int(next(g for g in m.groups() if g)), ln


def _opening_subjects(report: Report) -> Iterator[tuple[str | None, int | None, Line]]:
    """The subject of the first sentence of the preamble's and of section 一's first lines, with its year."""
    endings = _self_endings(report)
    for ln in _front(report):
        sentence = re.split(r"[。；;]", _RUN_IN.sub("", ln.norm), maxsplit=1)[0]
        year = _OPENING_YEAR.match(sentence)
        for m in _SUBJECT.finditer(sentence):
            issuer = _clean_issuer(m.group("issuer"))
            if issuer and (endings is None or issuer.endswith(endings)):
                # '2022年X认真…' states the year with the subject; '2024年，…' opens with it
                yield issuer, int(m.group(1) or (year and year.group(1)) or 0) or None, ln
                break
        else:
            if year:
                yield None, int(year.group(1)), ln


def _contacts(report: Report) -> Iterator[tuple[str | None, int | None, Line]]:
    """The body a contact names, unless it is a short name ('县政府办公室': the office above) or not the kind of
    body the report calls itself (a township's report that says 我镇 and gives a county office to ask)."""
    endings = _self_endings(report)
    for ln in _front(report):
        for m in _CONTACT.finditer(ln.norm):
            body = _contact_body(m.group("a") or m.group("b"))
            if body and not _BARE.match(body) and (endings is None or body.endswith(endings)):
                yield body, None, ln


# what a report calls itself ('我乡') → the endings a name of that kind of body has
_SELF = {"局": ("局",), "委": ("委", "委员会"), "镇": ("镇", "镇人民政府", "镇政府"), "乡": ("乡", "乡人民政府", "乡政府"),
         "街道": ("街道", "街道办事处"), "区": ("区", "区人民政府", "区政府"), "县": ("县", "县人民政府", "县政府"),
         "市": ("市", "市人民政府", "市政府")}


def _self_endings(report: Report) -> tuple[str, ...] | None:
    """The endings of the one kind of body the report calls itself ('我乡' → 乡, 乡人民政府 …), or None."""
    text = "\n".join(ln.norm for ln in [ln for ln in report.lines[:120] if not ln.blank][:60])
    kinds = {k for k in _SELF if re.search(rf"我{k}(?!们)", text)}
    return tuple(e for k in kinds for e in _SELF[k]) if len(kinds) == 1 else None


def _self_named(report: Report) -> Iterator[tuple[str | None, int | None, Line]]:
    """Further in: the subject of any sentence, kept only where it is the kind of body the report calls itself
    ('我乡' … '截至2019年12月31日，牛街乡人民政府通过…'), so another body's name is never taken."""
    endings = _self_endings(report)
    if endings is None:
        return  # no self-reference, or several: nothing to check a name against
    for ln in [ln for ln in report.lines[:120] if not ln.blank][:60]:
        for sentence in re.split(r"[。；;]", _RUN_IN.sub("", ln.norm)):
            for m in _SUBJECT.finditer(sentence):
                issuer = _clean_issuer(m.group("issuer"))
                if issuer and issuer.endswith(endings) and not _BARE.match(issuer):
                    yield issuer, None, ln


_DATE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def _signature(report: Report) -> Iterator[tuple[str | None, int | None, Line]]:
    """The body signing at the end: a line that is only a name, followed by the date ('X镇人民政府' / '2025年1月20日').
    The date is when the report was published, not the year it covers, so it gives no year."""
    tail = [ln for ln in report.lines if not ln.blank][-8:]
    for ln, nxt in zip(tail, tail[1:]):
        if _DATE.match(nxt.norm) and len(ln.norm.strip()) <= 30:
            body = _clean_issuer(ln.norm.strip())
            if body and not _BARE.match(body):
                yield body, None, ln


def _full_name(short: str, report: Report, found: list[str]) -> str:
    """'市教育局' → '铜仁市教育局' where the text or another source prints the full name once, else as it is."""
    longer = {f for f in found if f.endswith(short) and f != short}
    if not longer:
        text = "\n".join(ln.norm for ln in report.lines[:80])
        # printed whole where a document of its own is cited: '建立了《铜仁市教育局信息公开保密制度》'
        longer = set(re.findall(rf"(?:^|(?<=[《“]))([\u4e00-\u9fff]{{2,4}}{re.escape(short)})", text, re.M))
    return longer.pop() if len(longer) == 1 else short


SOURCES: tuple[tuple[str, Callable[[Report], Iterator[tuple[str | None, int | None, Line]]]], ...] = (
    ("preamble", _preamble_statements), ("opening sentence", _opening_subjects), ("contact", _contacts), ("signature", _signature),
    ("self-reference", _self_named))


def read_meta(report: Report) -> Report:
    issuer, year, tline = _from_title(report)
    sources: dict[str, str] = {}
    if issuer:
        sources["issuer"] = f"title line {tline}"
    if year:
        sources["year"] = f"title line {tline}"
    found: list[str] = []
    for name, finder in SOURCES:
        for f_issuer, f_year, ln in finder(report):
            if f_issuer and _BARE.match(f_issuer) and name not in ("preamble", "opening sentence"):
                # a short name further in may be another body ('县人民政府办公室'): kept only where the text
                # prints it in full
                f_issuer = _full_name(f_issuer, report, [])
                f_issuer = None if _BARE.match(f_issuer) else f_issuer
            if f_issuer:
                found.append(f_issuer)
            if f_issuer and (issuer is None or (_BARE.match(issuer) and not _BARE.match(f_issuer)
                                                and "title" not in sources["issuer"])):
                issuer, sources["issuer"] = f_issuer, f"{name} line {_where(ln)}"  # a full name beats a short one
            if year is None and f_year and name != "contact":
                year, sources["year"] = f_year, f"{name} line {_where(ln)}"
    if issuer and _BARE.match(issuer):
        issuer = _full_name(issuer, report, found)
    report.meta["issuer"] = issuer
    report.meta["year"] = year
    report.meta["level"] = level_of(issuer) if issuer else None
    report.meta["meta_sources"] = sources
    return report
