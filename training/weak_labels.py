"""Weak theme labels for paragraphs nobody labelled by hand, and their evaluation against hand labels.

Two labelling rules:

* `heading_theme` — the subsection heading of a paragraph names its theme: a heading line right before it
  (`（四）平台建设情况` → platforms, `（五）监督保障` → supervision) or a run-in heading that opens it
  (`（二）依申请公开。2023年…` → requests, `3.加强人员培训，…。` → training). One theme at most.
* `cue_themes` — content words (terms.THEME_CUES, the strong ones only: at least `min_hits` distinct cue words
  of a theme, or one of the unambiguous `STRONG_CUES`). Several themes, at most 3.

`python -m training.weak_labels` prints precision / recall of both rules on the hand-labelled paragraphs
(../shared/gold and training/annotations/pool).
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from gazette_nlp.textnorm import squash_normalised
from gazette_nlp.themes.terms import HEADING_THEMES, THEME_CUES, THEMES

# a run-in heading: numbering, a short title, then 。/：/, and the prose
_RUN_IN = re.compile(r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十\d]+\s*[、.．]|第[一二三四五六七八九十]+[，,、])"
                     r"\s*([^。:：;；!?！？]{2,24}?)\s*[。:：;；]")
_NUMBERED = re.compile(r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十\d]+\s*[、.．]|第[一二三四五六七八九十]+[，,、])")
_SECTION_HEADING = re.compile(r"^\s*[一二三四五六]\s*[、.．]")

# cue words specific enough that one occurrence labels the paragraph
STRONG_CUES: dict[str, tuple[str, ...]] = {
    "staffing": ("领导小组", "专人负责", "专职", "兼职", "信息员", "组长"),
    "requests": ("依申请公开", "信息公开申请", "政府信息公开申请", "申请人"),
    "info_management": ("三审三校", "保密审查", "规范性文件清理", "政策文件库"),
    "platforms": ("政务新媒体", "微信公众号", "政府网站", "门户网站", "公开栏", "查阅点", "政务服务大厅",
                  "视频号", "便民服务中心"),
    "training": ("培训",),
    "supervision": ("考核", "社会评议", "责任追究", "监督检查"),
    "interpretation": ("政策解读", "新闻发布会", "回应关切", "回应群众关切", "回应社会关切", "政务公开日"),
    "fees": ("信息处理费", "处理费", "收费"),
    "active_disclosure": ("主动公开",),
}


def title_theme(title: str | None) -> str | None:
    """The theme a (sub)section title names, by the first matching pattern of terms.HEADING_THEMES."""
    if not title:
        return None
    sq = squash_normalised(title)
    if not sq or _SECTION_HEADING.match(title):
        return None
    for pattern, theme in HEADING_THEMES:
        if pattern in sq:
            return theme
    return None


def run_in_title(text: str) -> str | None:
    m = _RUN_IN.match(text)
    return m.group(1) if m else None


def heading_theme(heading: str | None, text: str) -> str | None:
    """Weak label from headings: the run-in heading of the paragraph, else the subsection heading above it."""
    theme = title_theme(run_in_title(text))
    if theme:
        return theme
    if heading and len(heading) <= 40:
        return title_theme(heading)
    return None


def cue_themes(text: str, min_hits: int = 2, max_themes: int = 3) -> list[str]:
    """Weak labels from content words: themes with a strong cue, or with `min_hits` distinct cue words."""
    scores: Counter[str] = Counter()
    for theme in THEMES:
        hits = {c for c in THEME_CUES[theme] if c in text}
        strong = any(c in text for c in STRONG_CUES.get(theme, ()))
        if strong or len(hits) >= min_hits:
            scores[theme] = len(hits) + (2 if strong else 0)
    return [t for t, _ in scores.most_common(max_themes)]


def evaluate_rules(examples: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Precision / recall of each rule against hand labels (examples with `themes` and `heading`)."""
    from gazette_nlp.themes.metrics import theme_scores

    exs = [e for e in examples if not e.get("unlabelled")]
    out: dict[str, Any] = {"paragraphs": len(exs)}
    rules = {"heading": lambda e: [t] if (t := heading_theme(e.get("heading"), e["text"])) else [],
             "cues": lambda e: cue_themes(e["text"])}
    for name, rule in rules.items():
        pred = [rule(e) for e in exs]
        fired = [i for i, p in enumerate(pred) if p]
        s = theme_scores([exs[i]["themes"] for i in fired], [pred[i] for i in fired])
        s_all = theme_scores([e["themes"] for e in exs], pred)
        out[name] = {
            "coverage": round(len(fired) / max(1, len(exs)), 4),  # share of paragraphs the rule labels
            "precision": s["micro"]["precision"],  # of the themes it assigns, share that hand labels agree with
            "recall": s_all["micro"]["recall"],  # of all hand themes, share it finds
            "recall_when_fired": s["micro"]["recall"],
            "per_theme": {t: {k: v for k, v in d.items() if k in ("precision", "recall", "support")}
                          for t, d in s_all["per_theme"].items()},
        }
    return out


def main() -> None:
    from training.themes.data import GOLD_DIR, POOL_ANNOTATIONS, annotated_examples

    ap = argparse.ArgumentParser(description="precision/recall of the weak theme labels against hand labels")
    ap.add_argument("--data", nargs="*", default=[str(GOLD_DIR), str(POOL_ANNOTATIONS)])
    a = ap.parse_args()
    exs = list(annotated_examples(a.data))
    print(json.dumps(evaluate_rules(exs), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
