"""Line features: what the line looks like, what its neighbours look like, and where it stands.

The same function builds features for training and inference, so both see identical inputs. Context matters:
a lone `0` is a table row because its neighbours are numbers and table labels; a short line ending in `。`
is a heading when it opens a block and narrative when it continues one.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

from ..model import Line
from ..sections import heading_key
from ..template import SECTION_KEYS, table_vocabulary
from ..textnorm import squash_normalised

_NUMBER = re.compile(r"^[\s|]*[-+]?[\d０-９OolI〇,，.．]*\d[\d,，.．]*[\s|]*$|^[\s|]*[—–\-/无]{1}[\s|]*$")
_NUM_TOKEN = re.compile(r"^(?:\d+(?:[.,]\d+)*|[—–/无-])$")
_CN_NUM = "一二三四五六七八九十"
_SEC_NUM = re.compile(rf"^[{_CN_NUM}]+\s*[、.．]")
_SUB_NUM = re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[)）]")
_ARABIC_NUM = re.compile(r"^\d{1,2}\s*[.、．]\s*(?!\d)")
_ORDINAL = re.compile(rf"^(?:第[{_CN_NUM}]+|[{_CN_NUM}]是)[，,、：:]")
_DATE_ONLY = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*$")  # a signature's or byline's date
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TERMINAL = tuple("。！？；.!?;")
FURNITURE = ("索引号", "发布机构", "发文日期", "打印", "字号", "来源", "当前位置", "首页", "访问量", "浏览次数", "点击",
             "Page", "地址", "电话", "邮箱", "邮编", "关闭", "分享", "扫一扫", "文号", "有效性", "分类", "发布日期",
             "生成日期", "主题", "信息来源", "作者", "责任编辑", "收藏", "【", "】", "网站", "登录", "注册", "English")
TITLE_WORDS = ("年度报告", "工作年度", "政府信息公开工作")
ISSUER_WORDS = ("人民政府", "办事处", "委员会", "办公室", "局", "厅", "街道", "乡", "镇")

N_DENSE = 47
# page furniture of PDFs and flipbooks: '- 2 -', '-3-', '第 4 页 共 9 页', '2/10', 'P. 9'
_PAGE_NUMBER = re.compile(r"^(?:[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页.{0,8}|\d{1,3}\s*/\s*\d{1,3}|P\.?\s*\d{1,3})$",
                          re.I)
# a contact line standing alone ('联系电话：…'), unlike a contact sentence of the preamble ('如对本报告有疑问，请…')
_CONTACT_LINE = re.compile(r"^(?:联系)?(?:地址|电话|邮编|电子邮箱|邮箱|传真|联系人|联系方式)\s*[:：]")
# a site's or crawler's field label opening the line: the title after `标 题` / `名称:` is metadata, not the heading
_FIELD_LABEL = re.compile(r"^[•·\s]*(?:索\s*引\s*号|标\s*题|名\s*称|题\s*名|页面标题|发布机构|发文日期|成文日期|发布日期|发布时间|"
                          r"文\s*号|主\s*题\s*词|主题分类|分\s*类|时\s*效|有\s*效\s*性|内容概述|来\s*源|信息来源|日\s*期|"
                          r"时\s*间|字\s*号|栏\s*目|原文链接)\s*(?:[:：|]|\s|$)")
_MENU_WORDS = re.compile(r"^(?:部门|街镇|乡镇|区县|首页|政务公开|信息公开|政府信息公开|网站导航|无障碍|阅读|English|规章库|收藏|"
                         r"长者助手|长者版|我的|简体|繁體|繁体|热门搜索|[|>»›/:：])+$")
_PAGE_ID = re.compile(r"^(?:\d{11,}|[0-9a-f]{20,})$")  # a page id, timestamp or hash printed alone, never a cell
# a report's title standing as a line of its own, not as a field's value or a link to another version of it
_NO_FIELD = r"[^:：|()（）【】\[\]•，。,]"
_TITLE_LINE = re.compile(
    rf"^{_NO_FIELD}{{0,40}}?(?:19|20)\d{{2}}\s*年?度?\s*(?:政府信息公开|政务公开|信息公开).{{0,10}}报告$"  # X2024年…报告
    rf"|^(?:19|20)\d{{2}}\s*年度?{_NO_FIELD}{{2,30}}?(?:政府信息公开|政务公开|信息公开).{{0,10}}报告$"  # 2019年X…报告
    rf"|^{_NO_FIELD}{{2,40}}?(?:政府信息公开|政务公开|信息公开)(?:工作)?\s*(?:19|20)\d{{2}}\s*年度?报告$"  # X…工作2025年度报告
    rf"|^{_NO_FIELD}{{1,38}}?(?:政府|局|委员会|委|办公室|办事处|街道|乡|镇|区|县|市|州|中心|管委会)\s*(?:19|20)\d{{2}}\s*年度?"
    rf"\s*(?:政府|政务|信息)?(?:信息)?$"  # a title split or cut after its year
    rf"|^(?:政府信息公开|政务公开|信息公开|政府信息|公开)(?:工作)?(?:年度)?(?:工作)?报告$"  # … and its second half
    rf"|^{_NO_FIELD}{{2,30}}?(?:政府信息公开|政务公开)工作(?:年度)?报告$")  # a title printed again without its year


@lru_cache(maxsize=1)
def _vocab() -> tuple[frozenset[str], tuple[str, ...]]:
    words = tuple(sorted({squash_normalised(w) for w in table_vocabulary() if squash_normalised(w)}, key=len,
                         reverse=True))
    return frozenset(words), words


@lru_cache(maxsize=20000)
def _vocab_coverage(sq: str) -> tuple[float, float]:
    """(fraction of chars covered by table words or fragments of them, 1.0 if the line is a fragment of one)."""
    if not sq:
        return 0.0, 0.0
    exact, words = _vocab()
    if sq in exact:
        return 1.0, 1.0
    covered = [False] * len(sq)
    for w in words:
        if len(w) < 2:
            continue
        start = sq.find(w)
        while start >= 0:
            for i in range(start, start + len(w)):
                covered[i] = True
            start = sq.find(w, start + 1)
    frag = 1.0 if len(sq) >= 1 and any(sq in w for w in words if len(w) > len(sq)) else 0.0
    return sum(covered) / len(sq), frag


def _fields(norm: str) -> list[str]:
    if "\t" in norm:
        parts = norm.split("\t")
    elif "|" in norm:
        parts = norm.split("|")
    else:
        parts = re.split(r"\s{2,}", norm.strip())
    return [p.strip() for p in parts]


@lru_cache(maxsize=16384)
def _line_features_cached(norm: str, raw: str) -> np.ndarray:
    row = np.array(line_features(norm, raw), dtype=np.float32)
    row.flags.writeable = False  # shared by every report that prints the same line
    return row


def line_features(norm: str, raw: str) -> list[float]:
    """Features of one line on its own (N_DENSE values)."""
    s = norm.strip()
    sq = squash_normalised(s)
    n = len(s)
    fields = _fields(norm)
    nonempty = [f for f in fields if f]
    numeric = [f for f in nonempty if _NUM_TOKEN.match(f.replace(" ", ""))]
    cjk = len(_CJK.findall(s))
    digits = sum(ch.isdigit() for ch in s)
    cover, frag = _vocab_coverage(sq)
    head_body = re.sub(rf"^(?:[{_CN_NUM}]+\s*[、.．]|[（(]\s*[{_CN_NUM}]+\s*[)）]|\d{{1,2}}\s*[.、．])\s*", "", s)
    first_stop = min([i for i in (head_body.find("。"), head_body.find("．")) if i >= 0] or [len(head_body)])
    run_in = 1.0 if first_stop < len(head_body) - 1 and first_stop <= 30 else 0.0
    return [
        1.0 if n else 0.0,
        math.log1p(n),
        min(n, 200) / 200,
        cjk / max(1, n),
        digits / max(1, n),
        1.0 if _NUMBER.match(s) and s else 0.0,
        math.log1p(len(nonempty)),
        math.log1p(len(numeric)),
        len(numeric) / max(1, len(nonempty)),
        math.log1p(len(fields) - len(nonempty)) if len(fields) > 1 else 0.0,
        1.0 if "\t" in raw else 0.0,
        1.0 if raw.startswith("\t") else 0.0,
        1.0 if "|" in s else 0.0,
        1.0 if s.startswith("|") or s.endswith("|") else 0.0,
        1.0 if s and set(s) <= set("| ") else 0.0,
        1.0 if heading_key(s) else 0.0,
        1.0 if _SEC_NUM.match(s) else 0.0,
        1.0 if _SUB_NUM.match(s) else 0.0,
        1.0 if _ARABIC_NUM.match(s) else 0.0,
        1.0 if _ORDINAL.match(s) else 0.0,
        run_in,
        1.0 if s.endswith(_TERMINAL) else 0.0,
        1.0 if s.endswith(("：", ":")) else 0.0,
        math.log1p(s.count("。")),
        math.log1p(s.count("，") + s.count(",")),
        cover,
        frag,
        1.0 if cover > 0.8 else 0.0,
        1.0 if any(w in s for w in FURNITURE) else 0.0,
        1.0 if any(w in s for w in TITLE_WORDS) else 0.0,
        1.0 if n <= 25 and any(s.endswith(w) for w in ISSUER_WORDS) else 0.0,
        1.0 if raw.lstrip().startswith("#") else 0.0,
        1.0 if "**" in raw else 0.0,
        1.0 if _DATE_ONLY.match(s) else 0.0,
        1.0 if re.search(r"\d{4}\s*年", s) else 0.0,
        1.0 if s.startswith(("（", "(")) and s.endswith(("）", ")")) else 0.0,
        1.0 if n <= 6 else 0.0,
        1.0 if 6 < n <= 30 else 0.0,
        1.0 if "《" in s or "“" in s or '"' in s else 0.0,
        1.0 if re.search(r"[A-Za-z]{3,}", s) else 0.0,
        1.0 if _PAGE_NUMBER.match(s) else 0.0,
        1.0 if _CONTACT_LINE.match(s) and "。" not in s else 0.0,
        1.0 if _FIELD_LABEL.match(s) else 0.0,
        1.0 if _MENU_WORDS.match(sq or s.replace(" ", "")) else 0.0,  # squashing drops a lone '>'
        # furniture words inside prose (the preamble's contact sentence: 如有疑问，请与…联系（电话：…）。) are no furniture
        1.0 if any(w in s for w in FURNITURE) and ("。" in s or s.count("，") + s.count(",") >= 2) else 0.0,
        1.0 if _PAGE_ID.match(s) else 0.0,
        1.0 if _TITLE_LINE.match(s) and not _FIELD_LABEL.match(s) else 0.0,
    ]


def document_features(lines: list[Line], section_of: list[str | None]) -> tuple[np.ndarray, list[str]]:
    """Dense feature matrix for the non-blank lines of one document, with neighbour context.

    Returns (X, texts) where texts are the normalised lines for the n-gram part.
    """
    idx = [i for i, ln in enumerate(lines) if not ln.blank]
    # a corpus prints its table labels and headings in every report: a line's own features are computed once
    own = np.array([_line_features_cached(lines[i].norm, lines[i].text) for i in idx],
                   dtype=np.float32).reshape(-1, N_DENSE)
    m = len(idx)
    zero = np.zeros((1, N_DENSE), dtype=np.float32)
    padded = np.vstack([zero, zero, own, zero, zero])
    prev1, prev2 = padded[1:m + 1], padded[0:m]
    next1, next2 = padded[3:m + 3], padded[4:m + 4]
    window = window_means(own[:, 5], 3)  # numeric
    tab_window = window_means(own[:, 10], 3)  # tab-separated
    cover_window = window_means(own[:, 25], 4)  # table vocabulary
    gaps = np.array([_blank_gap(lines, i, -1) for i in idx] if m else [], dtype=np.float32).reshape(-1, 1)
    gaps_after = np.array([_blank_gap(lines, i, 1) for i in idx] if m else [], dtype=np.float32).reshape(-1, 1)
    total = max(1, len(lines))
    pos = np.array([lines[i].n / total for i in idx], dtype=np.float32).reshape(-1, 1)
    sec = np.zeros((m, len(SECTION_KEYS) + 2), dtype=np.float32)
    for j, i in enumerate(idx):
        key = section_of[i]
        col = SECTION_KEYS.index(key) if key in SECTION_KEYS else (len(SECTION_KEYS) if key == "preamble" else
                                                                    len(SECTION_KEYS) + 1)
        sec[j, col] = 1.0
    ctx = np.hstack([own, prev1, next1, prev2[:, :26], next2[:, :26], window[:, None], tab_window[:, None],
                     cover_window[:, None], gaps, gaps_after, pos, sec])
    return ctx, [lines[i].norm.strip() for i in idx]


def window_means(x: np.ndarray, half: int) -> np.ndarray:
    """`x[max(0, j - half): j + half + 1].mean()` for every j, computed at once and bit for bit as numpy computes
    each window's mean (float32): fewer than 8 values added one by one, 8 or more as 8 partial sums added in
    pairs and then the rest, the sum divided by the count in float64. Exactness keeps the features the shipped
    line model was trained on; tests/test_lines.py compares with `np.mean` window by window."""
    m = len(x)
    if not m:
        return np.zeros(0, dtype=np.float32)
    at = np.arange(m)
    lo = np.maximum(0, at - half)
    n = np.minimum(m, at + half + 1) - lo
    width = 2 * half + 1
    zero = np.float32(0)
    cols = np.stack([np.where(k < n, x[np.minimum(lo + k, m - 1)], zero) for k in range(width)], axis=1)
    total = np.zeros(m, dtype=np.float32)
    for k in range(width):
        total += cols[:, k]
    if width >= 8:
        c = cols
        paired = ((c[:, 0] + c[:, 1]) + (c[:, 2] + c[:, 3])) + ((c[:, 4] + c[:, 5]) + (c[:, 6] + c[:, 7]))
        for k in range(8, width):
            paired += c[:, k]
        total = np.where(n >= 8, paired, total)
    return (total.astype(np.float64) / n).astype(np.float32)


def _blank_gap(lines: list[Line], i: int, step: int) -> float:
    k, gap = i + step, 0
    while 0 <= k < len(lines) and lines[k].blank and gap < 3:
        gap += 1
        k += step
    return gap / 3
