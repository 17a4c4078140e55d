"""Bounds on what one input may be: a size limit, and a check that a text holds one report, not several.

A real report is 5,000-50,000 characters (a long PDF some 200,000). A text far beyond that is a corpus glued into
one file or a mistake; read whole, it costs minutes and gigabytes and yields one meaningless record. So a text
over `max_chars()` is refused with `InputTooLargeError` before any stage runs. The limit is raised with
`gazette-nlp parse --max-chars N` (or `set_max_chars`): it travels in the environment, so worker processes and a
local Dask cluster inherit it.
"""
from __future__ import annotations

import os
import re

from .. import template as T
from ..errors import InputTooLargeError
from ..model import Issue

DEFAULT_MAX_CHARS = 2_000_000
MAX_CHARS_ENV = "GAZETTE_NLP_MAX_CHARS"


def max_chars() -> int:
    """The limit in force: the environment's `GAZETTE_NLP_MAX_CHARS`, else `DEFAULT_MAX_CHARS`."""
    try:
        return int(os.environ.get(MAX_CHARS_ENV) or DEFAULT_MAX_CHARS)
    except ValueError:
        return DEFAULT_MAX_CHARS


def max_chars_setting() -> int | None:
    """The limit set for this process, None where the default holds (to restore it after a run)."""
    try:
        return int(os.environ[MAX_CHARS_ENV])
    except (KeyError, ValueError):
        return None


def set_max_chars(n: int | None) -> None:
    """Set the limit for this process and the worker processes it starts (None: back to the default)."""
    if n is None:
        os.environ.pop(MAX_CHARS_ENV, None)
    else:
        os.environ[MAX_CHARS_ENV] = str(int(n))


def check_size(text: str) -> None:
    limit = max_chars()
    if len(text) > limit:
        raise InputTooLargeError(f"the text is {len(text):,} characters, over the limit of {limit:,} "
                                 f"(a report is under 200,000; --max-chars raises the limit)")


# Headings and table rows the template prints exactly once per report. Section 二's title is left out: some
# reports reuse it as a subsection of 一 ("（一）主动公开政府信息情况").
def _marker_patterns() -> list[re.Pattern[str]]:
    titles = [s.title for s in T.SECTIONS if s.key in ("三", "四", "五")]
    rows = ["本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量"]
    # whitespace may fall anywhere inside a printed heading (PDF extraction, spaced-out titles)
    return [re.compile(r"\s*".join(map(re.escape, w))) for w in titles + rows]


_MARKERS = _marker_patterns()


def template_copies(text: str) -> int:
    """How many times the text prints the template: the count most of the once-per-report markers agree on."""
    counts = sorted((len(p.findall(text)) for p in _MARKERS), reverse=True)
    # the third-highest count: two markers may repeat in prose (a heading quoted in 一), three do not
    return counts[2] if len(counts) >= 3 else 0


def repeated_template_issue(text: str) -> Issue | None:
    copies = template_copies(text)
    if copies < 2:
        return None
    return Issue(kind="repeated_template",
                 message=f"the text prints the report template {copies} times: several reports in one file? "
                         f"It is read as one report, so its cells and checks may mix the copies; split the file")
