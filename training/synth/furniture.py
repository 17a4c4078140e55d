"""Page and web-page furniture: everything labelled `other` (breadcrumbs, 字号, 打印, page numbers, 索引号 blocks)."""
from __future__ import annotations

import random

from .issuers import Issuer


def _date(rng: random.Random, year: int) -> str:
    return f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"


def page_number(rng: random.Random, page: int, total: int) -> str:
    form = rng.choice(("- {p} -", "— {p} —", "{p}", "第{p}页", "第 {p} 页 共 {t} 页", "P. {p}", "- {p} -", "{p}/{t}"))
    return form.format(p=page, t=total)


def _title(rng: random.Random, issuer: Issuer, year: int) -> str:
    return rng.choice((f"{issuer.full}{year}年政府信息公开工作年度报告", f"{issuer.short}政府信息公开工作{year}年度报告",
                       f"{issuer.full}{year}年度政府信息公开工作报告"))


def index_block(rng: random.Random, issuer: Issuer, year: int) -> list[str]:
    """A site's metadata table above the report: 索引号 / 发布机构 / 发文日期, often the title as a field
    (`标 题 X…年度报告`, `名称: …`: `other`, the report's own title line is printed again below it)."""
    code = f"{rng.randint(10**8, 10**9 - 1)}/{year + 1}-{rng.randint(1, 99999):05d}"
    date = _date(rng, year)
    title = _title(rng, issuer, year)
    r = rng.random()
    if r < 0.35:  # rendered as a pipe table, as the pool pages show it
        lines = [f"索 引 号 | {code} | 分 类 | 政府信息公开年报 |", f"发布机构 | {issuer.office} | 发文日期 | {date} |",
                 "文 号 | 有 效 性 |"]
        if rng.random() < 0.4:
            lines.insert(2, f"{rng.choice(('标 题', '名 称', '题 名'))} | {title} |")
        return lines
    if r < 0.6:  # label and value in spaced columns, no separators (P038)
        lines = [f"索 引 号 {code} 分 类 {rng.choice(('政务公开', '科技、教育/教育 / 报告', '综合政务'))}",
                 f"发布机构 {issuer.office} 发文日期 {date}", f"标 题 {title}",
                 f"文 号 {rng.choice(('无', '无〔〕号', ''))} 主 题 词"]
        if rng.random() < 0.5:
            lines.append(f"内容概述 本年度报告依据《中华人民共和国政府信息公开条例》要求编制，总结{issuer.we[0]}{year}年政府信息公开工作")
        lines.append(rng.choice(("时 效 有效", "有 效 性 有效", "时 效 ")))
        return lines
    bullet = rng.choice(("", "", "• ", "  • "))
    lines = [f"{bullet}索引号：{code}", f"{bullet}发布机构：{issuer.region}{issuer.office}", f"{bullet}发文日期：{date}"]
    if rng.random() < 0.5:
        lines.insert(2, f"{bullet}{rng.choice(('名称', '标题', '题名'))}{rng.choice(('：', ': '))}{title}")
    if rng.random() < 0.5:
        lines.append(rng.choice(("主题分类：政务公开", "分类：政府信息公开年报", "文号：", "有效性：有效", "主题词:",
                                 f"文号: 发布日期: {date}", f"成文日期: {date}")))
    return lines


# a site's menu words and column names standing alone on their lines (P073 `部  门` / `街  镇`, P090)
MENU_LINES = ("部  门", "街  镇", "乡  镇", "区  县", "部门", "街镇", "首页", "政务公开", "信息公开", "政府信息公开 规章库",
              "无障碍    长者助手 我的收藏   收藏", "网站导航", "政策文件", "法定主动公开内容", "长者版 无障碍阅读", "长者版",
              "无障碍阅读", "繁體", "简体 | 繁體", ">", "热门搜索:", "»")


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
    if rng.random() < 0.2:
        out = rng.sample(MENU_LINES, rng.randint(1, 3)) + out
    if rng.random() < 0.1:  # the site's own column name (P090: 广东省人民政府办公厅政府信息公开)
        out.append(f"{issuer.region}人民政府{rng.choice(('办公室', '办公厅', ''))}{rng.choice(('政府信息公开', '政务公开'))}")
    return out


def web_after_title(rng: random.Random, issuer: Issuer, year: int) -> list[str]:
    """What a web page prints between the title and the text."""
    date = _date(rng, year)
    pool = [
        f"时间: {date} 08:{rng.randint(10, 59)} 来源: {issuer.region}{issuer.office} 访问量:",
        f"来源：{issuer.region}{issuer.office}", f"发布时间：{date}", f"浏览次数：{rng.randint(12, 4000)}",
        "字号：大 中 小", "【字体：大 中 小】", "打印", "[ 打印本页 ] [ 关闭窗口 ]", "分享到：", "【字体：大 中 小】 打印",
        f"日期:{date}", "字 号:", f"  • {year + 1}年{int(date[5:7]):02d}月{int(date[8:]):02d}日", "来源: 浏览次数: 发布时间: " + date,
        # a link to the report's graphic version repeats the title (P066)
        f"{rng.choice(('(图解)', '【图解】', '图解：', '一图读懂'))}{_title(rng, issuer, year)}",
        str(rng.randint(10**12, 10**13 - 1)),  # a page id or timestamp printed alone (P033)
        "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice((24, 31, 32)))),
    ]
    out = rng.sample(pool, rng.randint(1, 3))
    if rng.random() < 0.25:  # a byline: who compiled it and when (P074 `宿州市人民政府办公室` / `2017年3月`)
        out = [f"{issuer.region}{issuer.office}", f"{year + 1}年{rng.randint(1, 3)}月"] + out
    return out


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
