"""Issuers at every level, with the words a report uses for itself (我镇, 我局, 本街道 …)."""
from __future__ import annotations

import random
from dataclasses import dataclass

PROVINCES = ("河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省",
             "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
             "甘肃省", "青海省", "宁夏回族自治区", "广西壮族自治区", "内蒙古自治区")
_FIRST = "安宝北长城大德东凤富高广海和河红华黄嘉金靖乐利临龙隆梅宁平青庆瑞沙上石双顺太泰天通万文西祥新兴永裕云枣中" \
         "杏柳桃梨松柏桂兰竹清白马牛鹿鹤鸭洪汉阜汾渭沁涞郏勉裴联递蓝"
_SECOND = "安昌城川丰峰阳河湖化江口林陵宁平桥泉山水台田亭溪兴源州庄坪岭湾港集铺堡店寨屯沟营冶南北谷头"
DEPARTMENTS = ("统计局", "教育局", "审计局", "财政局", "民政局", "自然资源局", "住房和城乡建设局", "交通运输局",
               "农业农村局", "水利局", "卫生健康委员会", "市场监督管理局", "生态环境局", "人力资源和社会保障局",
               "司法局", "应急管理局", "文化和旅游局", "人民政府外事办公室", "发展和改革委员会", "医疗保障局",
               "退役军人事务局", "林业局", "商务局", "人民政府办公室")
LEVELS = ("township", "street", "county", "department", "city", "province")
LEVEL_WEIGHTS = (0.32, 0.14, 0.2, 0.2, 0.1, 0.04)


@dataclass(frozen=True)
class Issuer:
    level: str
    full: str  # 平川县石桥镇人民政府
    short: str  # 石桥镇
    we: tuple[str, ...]  # ways it names itself in prose
    leader: str
    unit: str  # its sub-units: 站所, 科室, 部门
    sub: str  # what lies below it: 村（社区）, 乡镇（街道）
    parent: str  # 县委、县政府
    office: str  # who writes the report
    region: str  # the county or city it belongs to


# place names of the evaluation reports' issuers: a synthetic issuer never takes one of them
RESERVED_NAMES = frozenset({"裴山", "下冶", "郏", "郟", "联财", "聯財", "杏岭子", "杏岭", "隆德"})


def _name(rng: random.Random, n: int = 2) -> str:
    while True:
        first = rng.choice(_FIRST)
        rest = "".join(rng.choice(_SECOND) for _ in range(n - 1))
        if first + rest not in RESERVED_NAMES and (first + rest)[:2] not in RESERVED_NAMES:
            return first + rest


def make_issuer(rng: random.Random, level: str | None = None) -> Issuer:
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown issuer level {level!r}; known: {', '.join(LEVELS)}")
    level = level or rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
    province = rng.choice(PROVINCES)
    city = _name(rng) + "市"
    county = _name(rng) + rng.choice("县县县区市")
    if level == "township":
        kind = rng.choice("镇镇乡")
        short = _name(rng, rng.choice((2, 2, 2, 3))) + kind
        full = rng.choice((county, "")) + short + "人民政府"
        return Issuer(level, full, short, (f"我{kind}", f"本{kind}", short), rng.choice((f"{kind}长", "党委书记")),
                      rng.choice(("站所", "办公室", "部门")), "村（社区）", f"{county[-1]}委、{county[-1]}政府",
                      rng.choice(("党政办", "党政综合办公室", "综合办公室", "党政办公室")), county)
    if level == "street":
        short = _name(rng) + "街道"
        full = rng.choice((county, f"{county}人民政府", "")) + short + "办事处"
        return Issuer(level, full, short, ("我街道", "本街道", short), rng.choice(("街道办事处主任", "党工委书记")),
                      rng.choice(("科室", "办公室")), "社区", f"{county[-1]}委、{county[-1]}政府",
                      rng.choice(("党政综合办公室", "综合办公室", "党政办")), county)
    if level == "county":
        return Issuer(level, f"{county}人民政府", county, (f"我{county[-1]}", f"全{county[-1]}", county),
                      f"{county[-1]}长", "部门", "乡镇（街道）", "市委、市政府",
                      f"{county[-1]}政府办公室", city)
    if level == "city":
        return Issuer(level, f"{city}人民政府", city, ("我市", "全市", city), "市长", "部门", "区县",
                      "省委、省政府", "市政府办公室", province)
    if level == "province":
        return Issuer(level, f"{province}人民政府", province, ("我省", "全省", province), "省长", "厅局", "市县",
                      "党中央、国务院", "省政府办公厅", province)
    dept = rng.choice(DEPARTMENTS)
    owner = rng.choice((county, city))
    short = owner[-1] + dept if rng.random() < 0.5 else owner + dept
    self_word = "我委" if dept.endswith("委员会") else "我办" if dept.endswith("办公室") else "我局"
    return Issuer(level, owner + dept, short, (self_word, "本单位", "本机关"),
                  "局长" if dept.endswith("局") else "主任", "科室", "下属单位", f"{owner[-1]}委、{owner[-1]}政府",
                  "办公室", owner)
