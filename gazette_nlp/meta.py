"""Report metadata read from the title and preamble: issuer, year, administrative level."""
from __future__ import annotations

import re

from .model import Report

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?\s*(?:政府信息公开|政务公开|度?政府信息)")
_YEAR_AFTER = re.compile(r"政府信息公开工作\s*((?:19|20)\d{2})\s*年度报告")
_ISSUER = re.compile(r"^(.{2,40}?)\s*(?:(?:19|20)\d{2}\s*年|政府信息公开工作)")
LEVELS = (  # most specific suffix first
    ("township", ("街道办事处", "街道", "乡人民政府", "镇人民政府", "乡", "镇")),
    ("department", ("局", "委员会", "办公室", "厅", "中心", "委", "办")),
    ("county", ("县人民政府", "区人民政府", "县", "旗")),
    ("city", ("市人民政府", "市", "州人民政府", "自治州", "盟")),
    ("province", ("省人民政府", "省", "自治区")),
)


def _title_text(report: Report) -> str:
    heads = [ln for ln in report.lines[:15] if not ln.blank][:5]
    for i, ln in enumerate(heads):
        # a title is a heading (when labelled), short, and no breadcrumb ('首页 > … > 年度报告')
        if ln.label not in (None, "heading") or len(ln.norm) > 60 or ">" in ln.norm:
            continue
        if "年度报告" in ln.norm or "工作年度" in ln.norm:
            prev = heads[i - 1].norm.strip() if i and ln.label == "heading" and heads[i - 1].label == "heading" else ""
            return (prev + ln.norm.strip()).replace(" ", "")
    return ""


def level_of(issuer: str) -> str | None:
    for level, suffixes in LEVELS:
        if any(issuer.endswith(s) for s in suffixes):
            return level
    return None


def read_meta(report: Report) -> Report:
    title = _title_text(report)
    head = title or " ".join(ln.norm for ln in report.lines[:8])
    year = _YEAR.search(head) or _YEAR_AFTER.search(head)
    report.meta["year"] = int(year.group(1)) if year else None
    issuer = None
    if title:
        m = _ISSUER.match(title)
        if m and not m.group(1).startswith(("关于", "根据")):
            issuer = m.group(1).strip("，,：: ")
    report.meta["issuer"] = issuer
    report.meta["level"] = level_of(issuer) if issuer else None
    return report
