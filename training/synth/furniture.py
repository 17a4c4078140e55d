"""Page and web-page furniture: everything labelled `other` (breadcrumbs, 字号, 打印, page numbers, 索引号 blocks)."""
from __future__ import annotations

import random

from .issuers import Issuer


def _date(rng: random.Random, year: int) -> str:
    return f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"


def page_number(rng: random.Random, page: int, total: int) -> str:
    form = rng.choice(("- {p} -", "— {p} —", "{p}", "第{p}页", "第 {p} 页 共 {t} 页", "P. {p}", "- {p} -", "{p}/{t}"))
    return form.format(p=page, t=total)


def index_block(rng: random.Random, issuer: Issuer, year: int) -> list[str]:
    code = f"{rng.randint(10**8, 10**9 - 1)}/{year + 1}-{rng.randint(1, 99999):05d}"
    date = _date(rng, year)
    if rng.random() < 0.5:  # rendered as a pipe table, as the pool pages show it
        return [f"索 引 号 | {code} | 分 类 | 政府信息公开年报 |", f"发布机构 | {issuer.office} | 发文日期 | {date} |",
                "文 号 | 有 效 性 |"]
    lines = [f"索引号：{code}", f"发布机构：{issuer.region}{issuer.office}", f"发文日期：{date}"]
    if rng.random() < 0.5:
        lines.append(rng.choice(("主题分类：政务公开", "分类：政府信息公开年报", "文号：", "有效性：有效")))
    return lines


def web_top(rng: random.Random, issuer: Issuer, year: int) -> list[str]:
    """What a web page prints above the report title."""
    out: list[str] = []
    if rng.random() < 0.7:
        out.append(rng.choice((
            "当前位置: 首页 > 政府信息公开 > {y}年 > 政府信息公开年报", "当前位置：首页 > 政务公开 > 政府信息公开专栏 > 政府信息公开年度报告",
            "您现在的位置：首页 > 信息公开 > 年度报告", "首页 > 政府信息公开 > 法定主动公开内容 > 政府信息公开年报",
            "首页>>政务公开>>政府信息公开年报")).format(y=year))
    if rng.random() < 0.3:
        out += index_block(rng, issuer, year)
    if rng.random() < 0.12:
        out += rng.choice((["明升体育", "图片"], ["扫一扫在手机打开当前页"], ["English", "无障碍"]))
    return out


def web_after_title(rng: random.Random, issuer: Issuer, year: int) -> list[str]:
    """What a web page prints between the title and the text."""
    pool = [
        f"时间: {_date(rng, year)} 08:{rng.randint(10, 59)} 来源: {issuer.region}{issuer.office} 访问量:",
        f"来源：{issuer.region}{issuer.office}", f"发布时间：{_date(rng, year)}", f"浏览次数：{rng.randint(12, 4000)}",
        "字号：大 中 小", "【字体：大 中 小】", "打印", "[ 打印本页 ] [ 关闭窗口 ]", "分享到：", "【字体：大 中 小】 打印",
    ]
    return rng.sample(pool, rng.randint(1, 3))


def web_bottom(rng: random.Random, issuer: Issuer, year: int) -> list[str]:
    pool = ["【打印本页】【关闭窗口】", f"主办单位：{issuer.region}人民政府办公室", f"网站标识码：{rng.randint(10**9, 10**10 - 1)}",
            f"版权所有：{issuer.full}", "扫一扫在手机打开当前页", "打印", "关闭"]
    return rng.sample(pool, rng.randint(1, 3))


def page_break(rng: random.Random, issuer: Issuer, year: int, page: int, total: int) -> list[str]:
    """Lines a page break leaves in the text: page numbers, and on web captures re-printed page chrome."""
    out: list[str] = []
    if rng.random() < 0.75:
        out.append(page_number(rng, page, total))
    r = rng.random()
    if r < 0.25:
        out += web_after_title(rng, issuer, year)
    elif r < 0.35:
        out += web_top(rng, issuer, year) or ["打印"]
    elif r < 0.45:
        out += index_block(rng, issuer, year)
    return out


def crawler_header(rng: random.Random, issuer: Issuer, year: int, title: str) -> list[str]:
    """The metadata block a site crawler writes above the page text (the text itself then follows on one line)."""
    stamp = f"{_date(rng, year)} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"
    host = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 9)))
    month = f"{year + 1}{rng.randint(1, 3):02d}"
    url = f"http://www.{host}.gov.cn/{rng.choice(('zwgk', 'xxgk', 'gkml'))}/{month}/t{month}{rng.randint(1, 28):02d}_" \
          f"{rng.randint(10000, 999999)}.html"
    fields = [(rng.choice(("标题", "题名", "页面标题")), title), (rng.choice(("发布时间", "发布日期", "时间")), stamp)]
    optional = [("文号", ""), (rng.choice(("发布机构", "来源")), rng.choice(("", issuer.office, issuer.full))),
                (rng.choice(("栏目", "分类")), rng.choice(("政府信息公开年报", "年度报告", "政务公开"))),
                (rng.choice(("原文链接", "链接", "URL")), url)]
    fields += [f for f in optional if rng.random() < 0.7]
    sep = rng.choice((": ", "：", ": "))
    bar = rng.choice("=-=") * rng.choice((4, 10, 20))
    return [f"{k}{sep}{v}" for k, v in fields] + [f"{bar} {rng.choice(('正文', '正文', '页面正文'))} {bar}"]
