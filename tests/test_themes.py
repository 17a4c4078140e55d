"""Themes: paragraph assembly, the theme classifier (shipped model, offline loading, save/load, a tiny training
run), metrics and the weak-labelling rules."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gazette_nlp.model import Report
from gazette_nlp.paths import model_path
from gazette_nlp.readers.text import report_from_text
from gazette_nlp.themes.metrics import score_reports, theme_scores
from gazette_nlp.themes.paragraphs import assemble_paragraphs, is_terminated
from gazette_nlp.themes.terms import THEMES

from conftest import GOLD, REPO, SAMPLES

MODEL = model_path("theme_classifier")


def labelled(text: str, labels: list[str | None]) -> Report:
    """A report of `text` whose lines carry `labels` (one per line, blank lines included)."""
    report = report_from_text(text)
    assert len(report.lines) == len(labels)
    for line, label in zip(report.lines, labels):
        line.label = None if line.blank else label
    return report


def gold_report(stem: str) -> tuple[Report, dict]:
    from gazette_nlp.annotations import read_gold, report_with_gold

    gold = read_gold(GOLD / f"{stem}.json")
    return report_with_gold(gold, (SAMPLES / gold["source"]).read_text(encoding="utf-8")), gold


# ---------------------------------------------------------------- paragraph assembly
def test_split_paragraph_is_joined_across_blank_lines():
    text = "一、总体情况\n\n（一）主动公开。全年共主动公开政府信息\n\n\n120条，其中政策文件5件。\n下一段。"
    r = assemble_paragraphs(labelled(text, ["heading", None, "narrative", None, None, "narrative", "narrative"]))
    assert [(p.n, p.lines) for p in r.paragraphs] == [(3, [3, 6]), (7, [7])]
    assert r.paragraphs[0].text == "(一)主动公开。全年共主动公开政府信息120条,其中政策文件5件。"
    assert r.paragraphs[0].section == "一"


def test_headings_tables_and_other_lines_end_a_paragraph():
    text = "一、总体情况\n我镇成立了领导小组，负责\n（二）依申请公开\n全年未收到申请\n字号：大 中 小\n继续"
    r = assemble_paragraphs(labelled(text, ["heading", "narrative", "heading", "narrative", "other", "narrative"]))
    assert [p.n for p in r.paragraphs] == [2, 4, 6]


def test_run_in_heading_stays_inside_and_markdown_is_dropped():
    text = "一、总体情况\n2. **完善政策解读机制。**全面落实政策解读，\n明确解读范围。"
    r = assemble_paragraphs(labelled(text, ["heading", "narrative", "narrative"]))
    assert len(r.paragraphs) == 1
    assert r.paragraphs[0].text == "2. 完善政策解读机制。全面落实政策解读,明确解读范围。"
    assert "*" not in r.paragraphs[0].text


def test_section_boundary_ends_a_paragraph():
    text = "一、总体情况\n全年共主动公开信息\n五、存在的主要问题及改进情况\n公开内容不够丰富"
    r = assemble_paragraphs(labelled(text, ["heading", "narrative", "heading", "narrative"]))
    assert [(p.n, p.section) for p in r.paragraphs] == [(2, "一"), (4, "五")]


def test_preamble_and_table_section_prose_keep_their_keys():
    text = ("XX镇2024年政府信息公开工作年度报告\n根据《条例》编制本报告。\n一、总体情况\n全年主动公开信息。\n"
            "二、主动公开政府信息情况\n该部分以表格形式报告。")
    r = assemble_paragraphs(labelled(text, ["heading", "narrative", "heading", "narrative", "heading", "narrative"]))
    assert [(p.n, p.section) for p in r.paragraphs] == [(2, "preamble"), (4, "一"), (6, "二")]
    only = assemble_paragraphs(labelled(text, ["heading", "narrative", "heading", "narrative", "heading",
                                               "narrative"]), sections={"一", "五", "六"})
    assert [p.n for p in only.paragraphs] == [4]


def test_terminal_punctuation_in_both_widths():
    for t in ("完成。", "如下：", "如下:", "等；", "吗？", "end.", "好！  "):
        assert is_terminated(t), t
    for t in ("自", "公开", "“一级抓一级”", "（地址"):
        assert not is_terminated(t), t


@pytest.mark.parametrize("stem", [p.stem for p in sorted(SAMPLES.glob("*.txt"))])
def test_paragraph_starts_equal_gold(stem):
    report, gold = gold_report(stem)
    assemble_paragraphs(report)
    got = [(p.n, p.section) for p in report.paragraphs if p.section in ("一", "五", "六")]
    assert got == [(p["n"], p["section"]) for p in gold["paragraphs"]]


def test_split_paragraphs_of_003_and_001():
    r003, _ = gold_report("003_cc5777ecc468ec6c")
    lines = {p.n: p.lines for p in assemble_paragraphs(r003).paragraphs}
    for first, second in ((11, 13), (21, 23), (90, 92), (112, 114)):
        assert lines[first] == [first, second]
        assert second not in lines
    r001, _ = gold_report("001_09c6e234b179f3b0")
    p89 = next(p for p in assemble_paragraphs(r001).paragraphs if p.n == 89)
    assert p89.lines == [89, 91]
    assert "主动性、时效性" in p89.text


def test_bold_markers_removed_from_gold_paragraph_text():
    r003, _ = gold_report("003_cc5777ecc468ec6c")
    p104 = next(p for p in assemble_paragraphs(r003).paragraphs if p.n == 104)
    assert p104.text.startswith("2. 完善政策发布推送和解读咨询机制。全面落实")


# ---------------------------------------------------------------- the shipped classifier
def require_model() -> Path:
    if not (MODEL / "themes.json").is_file():
        pytest.skip("models/theme_classifier is not trained (python -m training.train_themes)")
    return MODEL


@pytest.fixture(scope="module")
def shipped():
    from gazette_nlp.themes.classifier import ThemeClassifier

    return ThemeClassifier.load(require_model())


CLEAR = [
    ("本机关本年度未收取任何信息处理费。", "fees"),
    ("全年共收到政府信息公开申请12件，均在法定期限内依法答复，未发生行政复议和行政诉讼。", "requests"),
    ("组织全体工作人员参加政务公开业务培训2次，学习《条例》有关规定，提升业务能力。", "training"),
    ("依托政府门户网站和政务新媒体，利用微信公众号发布信息360条，在村务公开栏张贴公告。", "platforms"),
    ("成立了以镇长为组长、分管领导为副组长的政务公开工作领导小组，明确专人负责。", "staffing"),
    ("严格执行“三审三校”制度，落实保密审查，对拟公开信息先审后发，及时清理规范性文件。", "info_management"),
    ("围绕重要政策开展政策解读，召开新闻发布会3场，积极回应社会关切。", "interpretation"),
    ("将政务公开工作纳入年度绩效考核，开展社会评议，对工作不力的严格责任追究。", "supervision"),
    ("2024年主动公开政府信息860条，重点公开财政预决算、重大建设项目等重点领域信息。", "active_disclosure"),
]


@pytest.mark.parametrize("text,theme", CLEAR)
def test_clear_paragraphs(shipped, text, theme):
    themes = shipped.predict([text])[0]
    assert theme in themes, (text, themes, shipped.predict_proba([text])[0])
    assert len(themes) <= 3


def test_meta_paragraphs_get_no_theme(shipped):
    meta = ["无", "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
                  "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。"]
    assert shipped.predict(meta) == [[], []]


def test_proba_shape_and_limits(shipped):
    probs = shipped.predict_proba(["", "培训", "x" * 10000])
    assert len(probs) == 3
    for p in probs:
        assert list(p) == list(THEMES)
        assert all(0.0 <= v <= 1.0 for v in p.values())
    assert all(len(t) <= 3 for t in shipped.predict(["领导小组 培训 公众号 信息处理费 依申请公开 三审三校 考核 解读"]))


def test_theme_paragraphs_stage_fills_scored_sections(shipped):
    from gazette_nlp.themes.classifier import theme_paragraphs

    text = ("某镇2024年政府信息公开工作年度报告\n根据《条例》编制本报告。\n一、总体情况\n"
            "（一）依申请公开。全年共收到政府信息公开申请5件，均按时答复。\n六、其他需要报告的事项\n本年度未收取信息处理费。")
    r = labelled(text, ["heading", "narrative", "heading", "narrative", "heading", "narrative"])
    theme_paragraphs(r, shipped)  # assembles the paragraphs itself when no stage did
    by_n = {p.n: p for p in r.paragraphs}
    assert by_n[2].themes == [] and by_n[2].scores == {}  # preamble: not themed
    assert "requests" in by_n[4].themes and set(by_n[4].scores) == set(THEMES)
    assert by_n[6].themes == ["fees"]
    assert r.to_json()["paragraphs"][1]["themes"] == by_n[4].themes


def test_default_model_is_loaded_once():
    require_model()
    from gazette_nlp.themes.classifier import default_classifier

    assert default_classifier() is default_classifier()


def test_offline_loading_in_a_fresh_process():
    """No network: sockets refuse to connect; the model loads and predicts from the checkout alone."""
    require_model()
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n    raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "from gazette_nlp.themes.classifier import default_classifier\n"
        "clf = default_classifier()\n"
        "print(clf.predict(['本年度未收取信息处理费。'])[0])\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "fees" in out.stdout.strip().splitlines()[-1]


def test_model_card_and_size():
    path = require_model()
    card = json.loads((path / "card.json").read_text(encoding="utf-8"))
    for key in ("data", "metrics", "date", "command"):
        assert key in card
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    assert size < 20 * 1024 * 1024


# ---------------------------------------------------------------- training, persistence
TINY = [
    ("本年度未收取信息处理费。", ["fees"]),
    ("没有收取任何费用，信息处理费为零。", ["fees"]),
    ("全年收到政府信息公开申请3件，均按期答复。", ["requests"]),
    ("依申请公开办理规范，申请人满意。", ["requests"]),
    ("组织工作人员参加业务培训。", ["training"]),
    ("开展政务公开专题培训两次。", ["training"]),
    ("通过政府网站和微信公众号发布信息。", ["platforms"]),
    ("政务新媒体运行规范，公开栏及时更新。", ["platforms"]),
    ("无", []),
] * 3


def test_tiny_training_run_and_save_load_round_trip(tmp_path):
    from gazette_nlp.themes.classifier import ThemeClassifier

    clf = ThemeClassifier(epochs=8, seed=0).fit([t for t, _ in TINY], [l for _, l in TINY], folds=0)
    clf.save(tmp_path / "m")
    again = ThemeClassifier.load(tmp_path / "m")
    probe = ["未收取信息处理费", "培训工作人员", "申请件按时答复", "公众号"]
    a, b = clf.predict_proba(probe), again.predict_proba(probe)
    for x, y in zip(a, b):
        assert x == pytest.approx(y, abs=1e-6)
    assert again.thresholds == clf.thresholds
    assert again.linear is not None and again.linear_weight == clf.linear_weight == 0.5
    assert clf.predict(["本年度未收取信息处理费。"])[0][:1] == ["fees"]


def test_linear_weight_zero_is_the_textcat_alone(tmp_path):
    from gazette_nlp.themes.classifier import ThemeClassifier

    clf = ThemeClassifier(epochs=4, seed=0, linear_weight=0.0).fit([t for t, _ in TINY], [l for _, l in TINY],
                                                                   folds=0)
    assert clf.linear is None
    clf.save(tmp_path / "m")
    assert not (tmp_path / "m" / "linear").exists()
    again = ThemeClassifier.load(tmp_path / "m")
    assert again.linear is None
    assert again.predict_proba(["培训"])[0] == pytest.approx(clf.predict_proba(["培训"])[0], abs=1e-6)


def test_shipped_model_is_the_ensemble(shipped):
    assert shipped.linear is not None and 0 < shipped.linear_weight < 1
    words = len(shipped.linear.vocabularies()[0])
    assert words > 1000  # trained on the real + synthetic paragraphs, not a toy


def test_train_themes_entry_point(tmp_path):
    from training.train_themes import train_themes

    data = tmp_path / "extra.jsonl"
    data.write_text("".join(json.dumps({"text": t, "themes": l, "provenance": "test"}, ensure_ascii=False) + "\n"
                            for t, l in TINY), encoding="utf-8")
    metrics = train_themes([str(data)], str(tmp_path / "model"), synthetic=0, evaluate=False)
    assert metrics["train_examples"] == {"extra": len(TINY)}
    card = json.loads((tmp_path / "model" / "card.json").read_text(encoding="utf-8"))
    assert card["command"].startswith("python -m training.train_themes")


def test_fit_rejects_unknown_theme():
    from gazette_nlp.errors import ModelError
    from gazette_nlp.themes.classifier import ThemeClassifier

    with pytest.raises(ModelError):
        ThemeClassifier(epochs=1).fit(["x"], [["weather"]], folds=0)


def test_load_missing_model_is_a_model_error(tmp_path):
    from gazette_nlp.errors import ModelError
    from gazette_nlp.themes.classifier import ThemeClassifier

    with pytest.raises(ModelError):
        ThemeClassifier.load(tmp_path)


# ---------------------------------------------------------------- metrics, weak labels
def test_theme_scores():
    s = theme_scores([["fees"], ["staffing", "training"], []], [["fees"], ["staffing"], ["platforms"]])
    assert s["micro"]["tp"] == 2 and s["micro"]["fp"] == 1 and s["micro"]["fn"] == 1
    assert s["micro_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["exact_match"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["per_theme"]["training"]["recall"] == 0.0


def test_score_reports_matches_paragraphs_by_start_line():
    gold = {"r": [{"n": 5, "themes": ["fees"]}, {"n": 9, "themes": ["requests"]}]}
    out = {"r": [{"n": 5, "themes": ["fees"]}, {"n": 8, "themes": ["requests"]}]}
    assert score_reports(gold, out)["micro"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "tp": 1, "fp": 0,
                                                 "fn": 1}


def test_pool_preamble_examples_keep_their_report_and_provenance():
    from training.themes.data import POOL_PREAMBLE, extra_examples

    exs = list(extra_examples(POOL_PREAMBLE))
    assert len(exs) >= 10
    for e in exs:
        assert e["origin"] == "pool_extra" and e["report"].startswith("P") and e["n"]
        assert "../shared/pool/raw/" in e["provenance"]
    assert sum(1 for e in exs if not e["themes"]) >= 9  # meta paragraphs carry no theme


def test_weak_heading_rules():
    from training.weak_labels import heading_theme

    assert heading_theme(None, "（二）依申请公开。2023年共收到申请3件。") == "requests"
    assert heading_theme("（四）平台建设情况", "我局进一步拓宽公开渠道。") == "platforms"
    assert heading_theme("(五)监督保障", "把政务公开纳入考核。") == "supervision"
    assert heading_theme("3. 教育培训", "组织学习。") == "training"
    assert heading_theme("一、总体情况", "2024年我局…") is None
    assert heading_theme(None, "2024年,我局认真贯彻落实《条例》。") is None
