"""Theme vocabulary, as data.

* `THEMES` — the nine themes of the annotation guidelines, in their fixed order.
* `DOMAIN_TERMS` — words jieba must keep whole (its stock dictionary cuts 三审三校 into 三/审/三/校 and
  依申请公开 into 依/申请/公开); they are added to the theme classifier's own jieba dictionary, so a term is one
  bag-of-words feature. Template words (section titles, table-3 vocabulary) are added from
  `gazette_nlp.template` at load time.
* `THEME_CUES` — for each theme, words whose presence is strong evidence for it. They are used by the
  weak-labelling rules in `training/weak_labels.py` and to group synonyms in the classifier's features
  (every cue of a theme also emits one shared token, so `微信公众号` and `视频号` teach each other).
* `HEADING_THEMES` — subsection-heading patterns (`（四）平台建设情况`) and the theme their paragraph is about.
"""
from __future__ import annotations

THEMES: tuple[str, ...] = (
    "staffing", "active_disclosure", "requests", "info_management", "platforms",
    "training", "supervision", "interpretation", "fees",
)

THEME_CUES: dict[str, tuple[str, ...]] = {
    "staffing": (
        "领导小组", "工作领导小组", "组织领导", "加强领导", "领导机制", "组长", "副组长", "专人", "专职", "兼职",
        "专人负责", "工作人员", "信息员", "明确职责", "分管领导", "主要领导", "亲自抓",
        "具体抓", "责任到人", "工作机构", "人员配备", "队伍建设", "工作队伍",
        "分工明确", "一把手",
    ),
    "active_disclosure": (
        "主动公开", "公开政府信息", "发布信息", "重点领域", "基层政务公开", "公开内容",
        "公开力度", "公示公告", "政务动态", "工作动态", "公开目录", "主动公开目录",
        "公开信息", "信息公开目录", "应公开尽公开", "决策公开", "执行公开", "结果公开",
    ),
    "requests": (
        "依申请公开", "依申请", "信息公开申请", "政府信息公开申请", "公开申请", "申请人", "受理", "答复",
        "法定期限", "按期答复", "办结", "行政复议", "行政诉讼", "申请件", "申请办理", "答复文书",
    ),
    "info_management": (
        "政府信息管理", "信息管理", "三审三校", "三审", "保密审查", "审核发布",
        "发布审核", "审查机制", "清理", "动态调整", "动态更新", "政策文件库", "归档",
        "档案", "信息审核", "公开属性", "源头认定",
        "错敏信息",
        # review and confidentiality of information (THEMES.md M1); a count of 规范性文件 published is
        # active disclosure, their cleanup is caught by 清理
        "先审后发", "保密", "审查", "审核", "纠错", "存档",
    ),
    "platforms": (
        "平台建设", "政府网站", "门户网站", "政府门户网站", "政务新媒体", "新媒体", "微信公众号", "公众号",
        "视频号", "微博", "抖音", "公开专栏", "专栏", "专区", "公开栏", "公告栏", "村务公开栏",
        "查阅点", "阅览室", "政务服务大厅", "便民服务中心",
        "政务公开专区", "大喇叭", "网站", "栏目", "APP", "客户端", "电子屏", "显示屏",
    ),
    "training": (
        "教育培训", "培训", "业务培训", "专题培训", "培训会", "学习培训", "集中学习", "业务能力",
        "业务素质", "能力提升", "学习条例", "学习《条例》", "培训班", "以会代训", "辅导",
    ),
    "supervision": (
        "监督保障", "监督检查", "督促检查", "考核", "目标考核", "社会评议", "责任追究", "问责",
        "督查", "督导", "评议", "考评", "纳入考核", "责任制",
        "年度目标", "通报", "整改", "抽查", "巡查",
        # checks on the work (training/annotations/THEMES.md S1); a passing 制度建设 is no theme (S2)
        "社会监督", "监督电话", "意见箱", "自查", "督促", "绩效", "目标管理", "指导监督", "公开监督",
    ),
    "interpretation": (
        "政策解读", "解读", "图解", "新闻发布会", "发布会", "回应关切", "回应社会关切", "回应群众关切",
        "舆情", "在线访谈", "政务公开日", "政府开放日", "答疑", "政民互动", "留言",
        # response work stated as an act (THEMES.md I1); 宣传 and a topic's 热点 are not interpretation (I2)
        "回应", "诉求", "开放日", "信箱",
    ),
    "fees": (
        "信息处理费", "处理费", "收费", "收取费用", "收取信息处理费", "减免", "未收取", "按件收费", "按量收费",
        "收费标准", "信息处理费管理办法",
    ),
}

# words kept whole by the classifier's jieba, beyond the cues
DOMAIN_TERMS: tuple[str, ...] = (
    "政府信息公开", "政务公开", "信息公开", "依申请公开", "主动公开", "政府信息", "政务信息", "政务新媒体",
    "领导小组", "三审三校", "信息处理费", "政策解读", "政务公开日", "公开专栏", "政务服务大厅", "便民服务中心",
    "基层政务公开", "重点领域", "保密审查", "规范性文件", "行政复议", "行政诉讼", "回应关切",
    "社会评议", "责任追究", "监督保障", "教育培训", "平台建设", "政府网站", "门户网站", "微信公众号", "视频号",
    "公开目录", "政府信息公开指南", "村务公开", "党务公开", "财务公开", "公开栏", "查阅点",
    "专人负责", "分管领导", "主要领导", "政策文件库", "信息公开申请", "政府信息管理",
    "工作要点", "年度报告", "条例", "《条例》", "以公开为常态", "不公开为例外", "知情权", "参与权", "监督权",
    "表达权", "法定期限", "答复文书", "大喇叭",
)

# subsection heading → theme (matched on squashed text: no spaces, punctuation or numbering)
HEADING_THEMES: tuple[tuple[str, str], ...] = (
    ("依申请公开", "requests"),
    ("收到和处理政府信息公开申请", "requests"),
    ("行政复议", "requests"),
    ("行政诉讼", "requests"),
    ("主动公开", "active_disclosure"),
    ("政府信息管理", "info_management"),
    ("信息管理", "info_management"),
    ("平台建设", "platforms"),
    ("公开平台", "platforms"),
    ("信息平台", "platforms"),
    ("载体建设", "platforms"),
    ("监督保障", "supervision"),
    ("监督考核", "supervision"),
    ("监督", "supervision"),
    ("考核", "supervision"),
    ("教育培训", "training"),
    ("培训", "training"),
    ("组织领导", "staffing"),
    ("加强领导", "staffing"),
    ("领导机制", "staffing"),
    ("工作机构", "staffing"),
    ("队伍建设", "staffing"),
    ("政策解读", "interpretation"),
    ("解读", "interpretation"),
    ("回应关切", "interpretation"),
    ("回应", "interpretation"),
    ("信息处理费", "fees"),
    ("收费", "fees"),
    ("处理费", "fees"),
)


def all_terms() -> list[str]:
    """Every word the theme classifier's jieba keeps whole: domain terms, cues and template vocabulary."""
    words: list[str] = list(DOMAIN_TERMS)
    for cues in THEME_CUES.values():
        words.extend(cues)
    try:
        from ..template import SECTIONS, T3_COLUMNS

        for s in SECTIONS:
            words.append(s.title)
            words.extend(s.variants)
        words.extend(label for _, label in T3_COLUMNS)
    except ImportError:  # pragma: no cover - template is part of the package
        pass
    seen: set[str] = set()
    out = []
    for w in words:
        w = w.strip()
        if len(w) >= 2 and w not in seen and not any(ch in w for ch in " 《》"):
            seen.add(w)
            out.append(w)
    return out
