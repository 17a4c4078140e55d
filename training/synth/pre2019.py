"""Reports on the pre-2019 outline (the 2008 条例 era): 一、概述 / 二、主动公开政府信息情况 / 三、依申请公开政府信息
情况 / 四、收费及减免 / 五、行政复议和行政诉讼 / 六、存在的问题及改进措施, with a few numbers in prose and in tables
of another shape (申请总数 / 已办结 / 同意公开 …, a 统计指标 | 单位 | 数量 sheet). None of it is a template table:
by annotation.md such a report yields NO cells. Its table lines are `table_row`, its section headings `heading`;
paragraphs of sections 一, 五 (here: 复议/诉讼, theme `requests`) and 六 carry themes as usual.
"""
from __future__ import annotations

import random
from typing import Any

from gazette_nlp.template import T4_GROUPS, T4_KEYS

from . import phrases_more as M
from .closing import _ordinal_list
from .compose import ORDINALS, _Slots
from .doc import Ln
from .layouts import LayoutOpts, render
from .narrative import Narrator
from .style import Style
from .tables import Field, Row

OLD_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("一", ("概述", "主要工作概述", "基本情况")),
    ("二", ("主动公开政府信息情况", "主动公开政府信息的情况")),
    ("三", ("依申请公开政府信息情况", "依申请公开政府信息和不予公开政府信息的情况", "政府信息依申请公开办理情况")),
    ("四", ("政府信息公开的收费及减免情况", "依申请公开收费及减免情况")),
    ("五", ("因政府信息公开申请提起行政复议、行政诉讼的情况", "政府信息公开申请行政复议和行政诉讼情况")),
    ("六", ("政府信息公开工作存在的主要问题及改进措施", "存在的不足和下一步工作打算", "存在的主要问题和改进措施")),
)
BASIS = (
    "本报告根据《中华人民共和国政府信息公开条例》的要求编制，汇总了{short}{year}年度政府信息公开工作的主要情况。",
    "依据《中华人民共和国政府信息公开条例》规定，{office}编制了{short}本年度政府信息公开工作报告。",
    "按照《中华人民共和国政府信息公开条例》和上级有关通知要求，现将{full}{year}年政府信息公开工作情况予以公布。",
)
CONTENTS = (
    "报告内容依次为：概述，主动公开政府信息情况，依申请公开政府信息情况，收费及减免情况，行政复议和行政诉讼情况，工作中存在的问题和改进办法。",
    "全文由概述、主动公开、依申请公开、收费及减免、复议诉讼、问题与措施六部分组成。",
)
PERIOD = ("报告所列数据的统计时段为{year}年1月1日至{year}年12月31日。", "本报告中的统计数据截至{year}年12月31日。",
          "文中数据的统计期限为{year}年全年。")
ACTIVE = (
    "{year}年，{we}共主动公开政府信息{pub}条，其中通过{site}发布{pa}条，通过公开栏、宣传资料等其他形式公开{pb}条。",
    "全年累计主动公开各类政府信息{pub}条，内容涵盖机构职能、政策文件、规划计划、财政资金、人事任免等方面。",
    "本年度{we}依托政府网站、政务公开栏等载体，主动向社会公开政府信息{pub}条。",
)
ACTIVE_MORE = (
    "其中机构职能类{c1}条，政策法规类{c2}条，规划计划类{c3}条，业务动态类{c4}条，其他类{c5}条。",
    "编印政务信息简报{k}期，向档案馆、图书馆等查阅场所报送纸质文件{n2}份。",
    "在办公场所设置政府信息查阅点{k2}个，全年接待现场查阅群众{n2}人次。",
)
REQUESTS_SOME = (
    "{year}年，{we}共受理政府信息公开申请{tot}件，其中当面申请{ch_a}件、网上申请{ch_b}件、信函申请{ch_c}件。",
    "本年度{we}收到公民、法人和其他组织提出的信息公开申请共{tot}件，按申请方式分，现场申请{ch_a}件，网络申请{ch_b}件，书信申请{ch_c}件。",
)
REQUESTS_DONE = (
    "截至年底已全部办结，其中同意公开{g}件，同意部分公开{pp}件，不予公开{w}件，信息不存在{ne}件，不属于本机关公开范围{nh}件，其他情形{ot}件。",
    "所受理的申请均在规定时限内作出答复：同意公开{g}件，部分公开{pp}件，不予公开{w}件，告知信息不存在{ne}件，告知非本机关掌握{nh}件，其他{ot}件。",
)
REQUESTS_NONE = ("{year}年，{we}未收到公民、法人和其他组织提出的政府信息公开申请。", "本年度{we}没有受理依申请公开事项。")
FEES = ("本年度{we}依申请提供政府信息，未收取检索、复制、邮寄等任何费用。", "{year}年，{we}未发生政府信息公开收费及减免情况。",
        "全年依申请公开共收取检索复制成本费用{fee}元，对{k}名生活困难的申请人减免了费用。")
APPEALS_NONE = ("{year}年，{we}未发生因政府信息公开申请提起行政复议和行政诉讼的情况。",
                "本年度没有针对{we}政府信息公开事项的行政复议申请和行政诉讼案件。")
APPEALS_SOME = ("{year}年，因政府信息公开申请提起行政复议{rv}件、行政诉讼{lt}件，目前均已审结。",
                "全年共发生涉及{we}政府信息公开的行政复议案件{rv}起、行政诉讼案件{lt}起。")
CATEGORIES = ("机构职能", "政策法规", "规划计划", "业务动态", "其他")
HORIZONTAL = ("申请总数", "已办结", "同意公开", "部分公开", "不予公开", "信息不存在", "非本机关掌握", "其他")
_SUBS = {"staffing": "组织领导", "active_disclosure": "主动公开", "platforms": "载体建设", "info_management": "制度建设",
         "supervision": "监督检查", "training": "业务培训", "interpretation": "解读回应"}


def _split(rng: random.Random, total: int, k: int, weights: tuple[float, ...] | None = None) -> list[int]:
    out = [0] * k
    for i in rng.choices(range(k), weights=weights, k=total) if total <= 2000 else []:
        out[i] += 1
    if total > 2000:
        cuts = sorted(rng.randint(0, total) for _ in range(k - 1))
        out = [b - a for a, b in zip([0] + cuts, cuts + [total])]
    return out


def draw_numbers(rng: random.Random, values: dict[str, Any]) -> dict[str, int]:
    """The figures this report states, consistent across its prose and tables (requests from table 三's new-total
    draw so that section-一 prose about requests agrees)."""
    tot = int(values.get("t3.new.total", 0))
    g, pp, w, ne, nh, ot = _split(rng, tot, 6, (10, 2, 1, 2, 2, 1))
    a, b, c = _split(rng, tot, 3, (3, 4, 1))
    pub = int(10 ** rng.uniform(1.3, 4.2))
    cats = _split(rng, pub, 5, (2, 3, 1, 6, 1))
    pa = int(pub * rng.uniform(0.5, 0.95))
    rv = int(values.get(f"t4.{T4_GROUPS[0][0]}.{T4_KEYS[-1][0]}", 0))
    lt = sum(int(values.get(f"t4.{gk}.{T4_KEYS[-1][0]}", 0)) for gk, _ in T4_GROUPS[1:])
    return {"tot": tot, "g": g, "pp": pp, "w": w, "ne": ne, "nh": nh, "ot": ot, "ch_a": a, "ch_b": b, "ch_c": c,
            "pub": pub, "pa": pa, "pb": pub - pa, "rv": rv, "lt": lt, "fee": rng.randint(20, 900),
            **{f"c{i + 1}": v for i, v in enumerate(cats)}}


def _num(style: Style, v: int) -> Field:
    return Field(style.num(v), None, True)


def active_table(nums: dict[str, int], style: Style) -> list[Row]:
    cats = [nums[f"c{i + 1}"] for i in range(len(CATEGORIES))]
    return [Row("p2", "header", "h", [Field("类别")] + [Field(c) for c in CATEGORIES] + [Field("合计")]),
            Row("p2", "data", "count", [Field("条数")] + [_num(style, v) for v in cats] + [_num(style, nums["pub"])])]


def request_table(nums: dict[str, int], style: Style) -> list[Row]:
    vals = (nums["tot"], nums["tot"], nums["g"], nums["pp"], nums["w"], nums["ne"], nums["nh"], nums["ot"])
    return [Row("p3", "header", "h", [Field(h) for h in HORIZONTAL]),
            Row("p3", "data", "count", [_num(style, v) for v in vals])]


def statistics_sheet(nums: dict[str, int], style: Style, rng: random.Random) -> list[Row]:
    """The old 政府信息公开情况统计表: one indicator per row, with its unit and count."""
    n = nums
    items: list[tuple[str, str, int | None]] = [
        ("一、主动公开情况", "", None), ("（一）主动公开政府信息数", "条", n["pub"]),
        ("其中：主动公开规范性文件数", "条", n["c2"]), ("二、依申请公开情况", "", None),
        ("（一）收到申请数", "件", n["tot"]), ("1.当面申请数", "件", n["ch_a"]), ("2.网络申请数", "件", n["ch_b"]),
        ("3.信函申请数", "件", n["ch_c"]), ("（二）申请办结数", "件", n["tot"]), ("1.按时办结数", "件", n["tot"]),
        ("2.延期办结数", "件", 0), ("（三）申请答复数", "件", n["tot"]), ("1.同意公开答复数", "件", n["g"]),
        ("2.同意部分公开答复数", "件", n["pp"]), ("3.不同意公开答复数", "件", n["w"]),
        ("4.不属于本行政机关公开数", "件", n["nh"]), ("5.申请信息不存在数", "件", n["ne"]),
        ("6.告知作出更改补充数", "件", n["ot"]), ("三、行政复议数量", "件", n["rv"]), ("四、行政诉讼数量", "件", n["lt"]),
        ("五、依申请公开信息收取的费用", "万元", 0),
    ]
    rows = [Row("p9", "caption", "c", [Field(rng.choice(("政府信息公开情况统计表", "附表：政府信息公开情况统计表")))]),
            Row("p9", "header", "h", [Field("统计指标"), Field("单位"), Field("数量")])]
    for k, (label, unit, v) in enumerate(items):
        tail = [_num(style, v)] if v is not None else [Field(rng.choice(("—", "", "")))]
        rows.append(Row("p9", "data", f"i{k}", [Field(label), Field(unit or rng.choice(("—", "")))] + tail))
    return rows


def pre2019_report(nr: Narrator, style: Style, lay: LayoutOpts, rng: random.Random,
                   values: dict[str, Any]) -> tuple[list[Ln], str]:
    """The lines of a pre-2019 report (title to signature-less end) and a note on what it holds."""
    c = nr.comp
    nums = draw_numbers(rng, values)

    def fill(t: str) -> str:
        return t.format_map(_Slots({**c.base, **{k: str(v) for k, v in nums.items()}}, rng, c.issuer.we))

    out: list[Ln] = nr.title()
    if rng.random() < 0.8:
        text = fill(rng.choice(BASIS)) + (fill(rng.choice(CONTENTS)) if rng.random() < 0.5 else "")
        text += fill(rng.choice(PERIOD)) + (c.fill(rng.choice(M.CONTACT)) if rng.random() < 0.5 else "")
        nr.para(out, text, None, None, "preamble")
    block, tables = 0, 0
    sheet_at = rng.choice(("三", "六", None, None))

    def table(rows: list[Row]) -> None:
        nonlocal block, tables
        nr._gap(out)
        out.extend(render(rows, lay, rng, block))
        block += len(rows)
        tables += 1

    for key, titles in OLD_SECTIONS:
        title = titles[0] if rng.random() < 0.7 else rng.choice(titles)
        nr.heading(out, f"{key}、{title}", "section", key)
        if key == "一":
            if rng.random() < 0.7:
                text, themes = c.intro()
                nr.para(out, text, key, themes)
            subs = rng.sample(list(_SUBS), rng.randint(2, 4))
            runin = rng.random() < 0.5
            for i, theme in enumerate(subs):
                text, themes = c.paragraph(theme)
                head = f"（{ORDINALS[i]}）{c.pick(M.TITLES[theme]) if theme in M.TITLES else _SUBS[theme]}"
                if runin:
                    nr.para(out, f"{head}。{text}", key, themes)
                else:
                    nr.heading(out, head, "sub", key)
                    nr.para(out, text, key, themes)
        elif key == "二":
            nr.para(out, fill(rng.choice(ACTIVE)) + (fill(rng.choice(ACTIVE_MORE)) if rng.random() < 0.6 else ""),
                    key, None, "prose")
            if rng.random() < 0.35:
                table(active_table(nums, style))
        elif key == "三":
            text = fill(rng.choice(REQUESTS_SOME)) + fill(rng.choice(REQUESTS_DONE)) if nums["tot"] \
                else fill(rng.choice(REQUESTS_NONE))
            nr.para(out, text, key, None, "prose")
            if nums["tot"] and rng.random() < 0.5:
                table(request_table(nums, style))
            if sheet_at == key:
                table(statistics_sheet(nums, style, rng))
        elif key == "四":
            nr.para(out, fill(rng.choice(FEES)), key, None, "prose")
        elif key == "五":
            bank = APPEALS_SOME if nums["rv"] or nums["lt"] else APPEALS_NONE
            nr.para(out, fill(rng.choice(bank)), key, ["requests"])
        else:
            themes = rng.sample(list(M.PROBLEMS), rng.randint(1, 3))
            probs = [c.fill(c.pick(M.PROBLEMS[t])) for t in themes]
            measures = [c.fill(c.pick(M.MEASURES[t])) for t in themes]
            lead, mlead = c.fill(rng.choice(M.PROBLEM_LEADS)), c.fill(rng.choice(M.MEASURE_LEADS))
            if rng.random() < 0.5:
                nr.para(out, lead + _ordinal_list(probs) + mlead + _ordinal_list(measures), key, themes)
            else:
                nr.para(out, lead + _ordinal_list(probs), key, themes)
                nr.para(out, mlead + _ordinal_list(measures), key, themes)
            if sheet_at == key:
                table(statistics_sheet(nums, style, rng))
    return out, f"report on the pre-2019 outline with {tables} tables of another shape: no cells"
