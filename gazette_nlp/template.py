"""The national template of 国办公开办函〔2021〕30号, as data.

Everything that knows about the template reads it from here: the reader of sections, the cell aligner,
the decoder, the validator and the synthetic-report generator. Labels are given in their printed form;
`aliases` hold variants seen in real extractions (split words, typos, 2019 wording). Matching is done on
`squash()`ed text (no spaces, punctuation or numbering), see `gazette_nlp.textnorm`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------- sections
@dataclass(frozen=True)
class SectionDef:
    key: str  # 一 … 六
    title: str
    variants: tuple[str, ...] = ()
    has_table: bool = False


SECTIONS: tuple[SectionDef, ...] = (
    SectionDef("一", "总体情况", ("主要工作概述", "概述", "工作概述", "基本情况")),
    SectionDef("二", "主动公开政府信息情况", ("主动公开政府信息的情况", "主动公开情况"), has_table=True),
    SectionDef("三", "收到和处理政府信息公开申请情况", ("收到和处理政府信息公开申请的情况", "依申请公开情况"), has_table=True),
    SectionDef("四", "政府信息公开行政复议、行政诉讼情况",
               ("因政府信息公开申请行政复议、提起行政诉讼的情况", "政府信息公开行政复议行政诉讼情况"), has_table=True),
    SectionDef("五", "存在的主要问题及改进情况", ("存在问题及改进情况", "存在的主要问题和改进情况", "存在的问题及改进情况",
                                          "政府信息公开工作存在的主要问题及改进情况")),
    SectionDef("六", "其他需要报告的事项", ("其他需要报告的事项", "其他事项")),
)
SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)

# ---------------------------------------------------------------- table 2
T2_CONTENT_HEADER = "信息内容"  # the first header cell of every 第二十条 block
@dataclass(frozen=True)
class T2Block:
    """One 第二十条 block of table 2: its rows (label → cell-id prefix) and its value columns."""

    item: str  # 第二十条第（一）项 …
    columns: tuple[tuple[str, str], ...]  # (column key, printed header)
    rows: tuple[tuple[str, str], ...]  # (row key, printed label)


T2_BLOCKS: tuple[T2Block, ...] = (
    T2Block("第二十条第（一）项",
            (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
            (("rules", "规章"), ("normative_docs", "行政规范性文件"))),
    T2Block("第二十条第（五）项", (("decisions", "本年处理决定数量"),), (("licensing", "行政许可"),)),
    T2Block("第二十条第（六）项", (("decisions", "本年处理决定数量"),),
            (("penalty", "行政处罚"), ("enforcement", "行政强制"))),
    T2Block("第二十条第（八）项", (("amount", "本年收费金额（单位：万元）"),), (("fees", "行政事业性收费"),)),
)
T2_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "本年废止件数": ("本年度止件数", "本年度废止件数"),
    "现行有效件数": ("现行有效件",),
    "本年收费金额（单位：万元）": ("本年收费金额", "本年收费金额（单位：万元，保留4位小数）"),
}

# ---------------------------------------------------------------- table 3
@dataclass(frozen=True)
class T3Row:
    key: str
    label: str  # printed label, without the group label
    group: str | None = None  # printed group label: （三）不予公开 …
    aliases: tuple[str, ...] = ()
    is_component: bool = False  # one of the outcome rows summed into （七）总计


T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
APPLICANT_COLUMNS: tuple[str, ...] = tuple(k for k, _ in T3_COLUMNS[:6])
T3_HEADER_WORDS: tuple[str, ...] = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人", "法人或其他组织",
    "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
)
# header words that extractions split over two lines
SPLIT_HEADER_WORDS: tuple[tuple[str, str], ...] = (
    ("商业", "企业"), ("科研", "机构"), ("社会公益", "组织"), ("法律服务", "机构"), ("法人或其他", "组织"),
    ("结果", "维持"), ("结果", "纠正"), ("其他", "结果"), ("尚未", "审结"), ("本年新", "制发件数"),
    ("本年制发", "件数"), ("现行有效", "件数"), ("本年处理决定", "数量"),
)

_W, _U, _R, _O = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"
T3_ROWS: tuple[T3Row, ...] = (
    T3Row("new", "一、本年新收政府信息公开申请数量", aliases=("本年新收政府信息公开申请数量",)),
    T3Row("carried_over", "二、上年结转政府信息公开申请数量", aliases=("上年结转政府信息公开申请数量",)),
    T3Row("granted", "（一）予以公开", group="三、本年度办理结果", is_component=True),
    T3Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", is_component=True,
          aliases=("部分公开",)),
    T3Row("withheld.state_secret", "1.属于国家秘密", _W, is_component=True),
    T3Row("withheld.law_prohibited", "2.其他法律行政法规禁止公开", _W, ("其他法律法规禁止公开",), True),
    T3Row("withheld.three_safety_stability", "3.危及“三安全一稳定”", _W, ("危及三安全一稳定",), True),
    T3Row("withheld.third_party", "4.保护第三方合法权益", _W, is_component=True),
    T3Row("withheld.internal_affairs", "5.属于三类内部事务信息", _W, is_component=True),
    T3Row("withheld.process_info", "6.属于四类过程性信息", _W, is_component=True),
    T3Row("withheld.enforcement_file", "7.属于行政执法案卷", _W, is_component=True),
    T3Row("withheld.query_item", "8.属于行政查询事项", _W, is_component=True),
    T3Row("unable.not_held", "1.本机关不掌握相关政府信息", _U, is_component=True),
    T3Row("unable.needs_creation", "2.没有现成信息需要另行制作", _U, is_component=True),
    T3Row("unable.unclear_after_correction", "3.补正后申请内容仍不明确", _U, is_component=True),
    T3Row("rejected.petition_complaint", "1.信访举报投诉类申请", _R, is_component=True),
    T3Row("rejected.duplicate", "2.重复申请", _R, is_component=True),
    T3Row("rejected.publication", "3.要求提供公开出版物", _R, is_component=True),
    T3Row("rejected.mass_repetitive", "4.无正当理由大量反复申请", _R, is_component=True),
    T3Row("rejected.reconfirm", "5.要求行政机关确认或重新出具已获取信息", _R, is_component=True),
    T3Row("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _O, is_component=True),
    T3Row("other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _O,
          is_component=True),
    T3Row("other.other", "3.其他", _O, is_component=True),
    T3Row("total", "（七）总计"),
    T3Row("carried_forward", "四、结转下年度继续办理", aliases=("结转下年度继续办理",)),
)
T3_GROUPS: tuple[str, ...] = ("三、本年度办理结果", _W, _U, _R, _O)
T3_COMPONENTS: tuple[str, ...] = tuple(r.key for r in T3_ROWS if r.is_component)

# ---------------------------------------------------------------- table 4
T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
T4_KEYS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计"),
)
T4_HEADER_WORDS: tuple[str, ...] = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉") + tuple(l for _, l in T4_KEYS)

# ---------------------------------------------------------------- cells
@dataclass(frozen=True)
class CellDef:
    id: str
    table: str  # t2 | t3 | t4
    row: str
    column: str
    label: str  # Chinese label, as in spec/cell_ids.tsv
    index: int = 0  # position in reading order


def _build_cells() -> tuple[CellDef, ...]:
    out: list[CellDef] = []
    for b in T2_BLOCKS:
        for rk, rl in b.rows:
            for ck, cl in b.columns:
                out.append(CellDef(f"t2.{rk}.{ck}", "t2", rk, ck, f"{rl} {cl}"))
    for r in T3_ROWS:
        for ck, cl in T3_COLUMNS:
            out.append(CellDef(f"t3.{r.key}.{ck}", "t3", r.key, ck, f"{r.label} | {cl}"))
    for gk, gl in T4_GROUPS:
        for kk, kl in T4_KEYS:
            out.append(CellDef(f"t4.{gk}.{kk}", "t4", gk, kk, f"{gl} {kl}"))
    return tuple(CellDef(c.id, c.table, c.row, c.column, c.label, i) for i, c in enumerate(out))


CELLS: tuple[CellDef, ...] = _build_cells()
CELL_IDS: tuple[str, ...] = tuple(c.id for c in CELLS)
CELL_BY_ID: dict[str, CellDef] = {c.id: c for c in CELLS}
T2_CELL_IDS = tuple(c.id for c in CELLS if c.table == "t2")
T3_CELL_IDS = tuple(c.id for c in CELLS if c.table == "t3")
T4_CELL_IDS = tuple(c.id for c in CELLS if c.table == "t4")


def t3(row: str, col: str) -> str:
    return f"t3.{row}.{col}"


# ---------------------------------------------------------------- identities
@dataclass(frozen=True)
class Identity:
    """sum(lhs) == sum(rhs). `name` matches the tags of ../shared/gold/check_gold.py (without `ID:`)."""

    name: str
    description: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


def _build_identities() -> tuple[Identity, ...]:
    cols = [k for k, _ in T3_COLUMNS]
    out: list[Identity] = []
    for c in cols:
        out.append(Identity(f"t3.balance.{c}", f"表三 {c} 列：新收 + 上年结转 = 总计 + 结转下年度",
                            (t3("new", c), t3("carried_over", c)), (t3("total", c), t3("carried_forward", c))))
    for c in cols:
        out.append(Identity(f"t3.components.{c}", f"表三 {c} 列：总计 = 各办理结果之和",
                            (t3("total", c),), tuple(t3(r, c) for r in T3_COMPONENTS)))
    for r in T3_ROWS:
        out.append(Identity(f"t3.row.{r.key}", f"表三 {r.key} 行：总计 = 六类申请人之和",
                            (t3(r.key, "total"),), tuple(t3(r.key, c) for c in APPLICANT_COLUMNS)))
    for g, gl in T4_GROUPS:
        out.append(Identity(f"t4.{g}", f"表四 {gl}：总计 = 维持 + 纠正 + 其他 + 尚未审结",
                            (f"t4.{g}.total",), tuple(f"t4.{g}.{k}" for k, _ in T4_KEYS[:4])))
    return tuple(out)


IDENTITIES: tuple[Identity, ...] = _build_identities()

# The 2019 form of table 3 prints '（六）其他处理' as one row: its values are not cells of the 2021 template
# (the three t3.other.* sub-rows are absent), but the identities use them where they need the sum of the three.
MERGED_OTHER_ROW = "other_merged"


def _merged_other_identities() -> tuple[Identity, ...]:
    cols = [k for k, _ in T3_COLUMNS]
    parts = [r for r in T3_COMPONENTS if not r.startswith("other.")] + [MERGED_OTHER_ROW]
    out = [Identity(f"t3.components.{c}", f"表三 {c} 列：总计 = 各办理结果之和（其他处理为一行）",
                    (t3("total", c),), tuple(t3(r, c) for r in parts)) for c in cols]
    out.append(Identity(f"t3.row.{MERGED_OTHER_ROW}", "表三 （六）其他处理 行：总计 = 六类申请人之和",
                        (t3(MERGED_OTHER_ROW, "total"),), tuple(t3(MERGED_OTHER_ROW, c) for c in APPLICANT_COLUMNS)))
    return tuple(out)


MERGED_OTHER_IDENTITIES: tuple[Identity, ...] = _merged_other_identities()
MERGED_OTHER_CELLS: tuple[str, ...] = tuple(t3(MERGED_OTHER_ROW, k) for k, _ in T3_COLUMNS)
CELL_BY_ID_MERGED: dict[str, str] = {c: c.rsplit(".", 1)[1] for c in MERGED_OTHER_CELLS}  # pseudo cell → column

# Plausibility where no identity binds the numbers (a glued run of table 2 split several ways): documents issued
# this year are mostly still in force, and fewer are repealed in a year than are in force. (larger, smaller)
# pairs; used only to rank splits, never to reject a value.
SOFT_BOUNDS: tuple[tuple[str, str], ...] = tuple((f"t2.{r}.in_force", f"t2.{r}.{c}") for r in ("rules", "normative_docs")
                                                 for c in ("issued", "repealed"))

# ---------------------------------------------------------------- 2019 template markers
# Tables of the older template (国办公开办函〔2019〕60号 era) that must not be force-mapped to 2021 ids.
TEMPLATE_2019_MARKERS: tuple[str, ...] = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减")
# other words only the 2019 table 2 prints (rows and columns); not markers: '规范性文件' is also a short 2021 label
T2_2019_WORDS: tuple[str, ...] = ("规范性文件", "其他对外管理服务事项", "政府集中采购", "采购项目数量", "采购总金额", "处理决定数量")
TEMPLATE_2021_MARKERS: tuple[str, ...] = ("本年制发件数", "现行有效件数", "商业企业", "社会公益组织", "法律服务机构",
                                          "三安全一稳定", "本年度办理结果")

# ---------------------------------------------------------------- vocabulary
def table_vocabulary() -> tuple[str, ...]:
    """Every label the tables print; the line features and section segmentation look for these."""
    words: list[str] = []
    for b in T2_BLOCKS:
        words.append(b.item)
        words += [l for _, l in b.columns] + [l for _, l in b.rows]
    words += [T2_CONTENT_HEADER] + list(T3_HEADER_WORDS) + list(T3_GROUPS)
    for r in T3_ROWS:
        words.append(r.label)
        words += list(r.aliases)
    words += list(T4_HEADER_WORDS)
    for aliases in T2_HEADER_ALIASES.values():
        words += list(aliases)
    return tuple(dict.fromkeys(words))
