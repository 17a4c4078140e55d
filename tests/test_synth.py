"""The synthetic report generator: deterministic, consistent with the template's identities, and labelled
exactly per ../shared/spec/annotation.md for every corruption type it claims to apply."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import unicodedata

import pytest
from conftest import GOLD, REPO, SAMPLES, SHARED_COPY

from gazette_nlp.model import LINE_LABELS
from gazette_nlp.template import (CELL_BY_ID, IDENTITIES, SECTIONS, SPLIT_HEADER_WORDS, T3_COLUMNS, T3_COMPONENTS,
                                  T3_GROUPS, T3_ROWS)
from training.synth import CORRUPTIONS, LAYOUTS, corrupt_text, generate_corpus, generate_report
from training.synth.compose import THEMES
from training.synth.style import DASHES

N = 150  # seeds swept by the property tests (≈0.4 s)
_OCR = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1"})


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(generate_corpus(N, seed=0))


def _read_number(token: str) -> float | None:
    t = unicodedata.normalize("NFKC", token).translate(_OCR).replace(",", "").strip()
    if token in DASHES or t in DASHES or t == "無":  # 无 for zero, also in a traditional-character text
        return 0
    return float(t)


def _forced(name: str, extra: tuple[str, ...] = (), tries: int = 40) -> dict:
    """The first seed where forcing `name` changes the report (some need a fitting table, e.g. all-zero rows)."""
    for seed in range(tries):
        rec = generate_report(seed, corruptions=(name,) + extra)
        if name in rec["corruptions"]:
            return rec
    raise AssertionError(f"{name} never applied in {tries} seeds")


def _digest(seeds: range) -> str:
    blob = json.dumps([generate_report(s) for s in seeds], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


# ---------------------------------------------------------------- determinism and interface
def test_same_seed_same_report_even_across_processes():
    assert generate_report(7) == generate_report(7)
    assert generate_report(7) != generate_report(8)
    code = "from training.synth.__main__ import *; import tests.test_synth as t; print(t._digest(range(5)))"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'tests'}"}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == _digest(range(5))


def test_corpus_uses_consecutive_seeds_and_record_shape(corpus):
    assert [r["id"] for r in corpus[:3]] == ["synth-0", "synth-1", "synth-2"]
    for r in corpus[:20]:
        assert r["source"] == f"{r['id']}.txt"
        assert r["template"] in ("2021", "2019", "pre2019")
        assert set(r) >= {"text", "lines", "cells", "cell_lines", "paragraphs", "corruptions", "notes",
                          "inferred_cells"}
        assert all(c in CORRUPTIONS for c in r["corruptions"])
        assert any(c in LAYOUTS for c in r["corruptions"])  # every report names its table layout


def test_bad_options_are_refused():
    with pytest.raises(TypeError):
        generate_report(0, colour="red")
    with pytest.raises(ValueError):
        generate_report(0, corruptions=["no_such_thing"])


# ---------------------------------------------------------------- labels and lines
def test_every_nonblank_line_is_labelled_once_with_its_exact_text(corpus):
    for r in corpus:
        raw = r["text"].splitlines()
        listed = {ln["n"]: ln for ln in r["lines"]}
        assert len(listed) == len(r["lines"])
        for n, text in enumerate(raw, 1):
            if text.strip():
                assert n in listed, (r["id"], n, text)
                assert listed[n]["text"] == text and listed[n]["label"] in LINE_LABELS
            else:
                assert n not in listed, (r["id"], n)


def test_paragraphs_point_at_narrative_lines_with_valid_themes(corpus):
    for r in corpus:
        labels = {ln["n"]: ln for ln in r["lines"]}
        for p in r["paragraphs"]:
            line = labels[p["n"]]
            assert line["label"] == "narrative" and p["section"] in ("一", "五", "六")
            assert len(p["themes"]) <= 3 and len(set(p["themes"])) == len(p["themes"])
            assert set(p["themes"]) <= set(THEMES)
            assert p["text"].startswith(line["text"].strip()[:8])
        if any(not p["themes"] for p in r["paragraphs"]):
            assert any("theme" in n for n in r["notes"])


# ---------------------------------------------------------------- cells
def test_visible_cells_satisfy_every_identity(corpus):
    checked = 0
    for r in corpus:
        cells = r["cells"]
        assert all(c in CELL_BY_ID for c in cells)
        for ident in IDENTITIES:
            if any(cells.get(c) is None for c in ident.cells):
                continue  # absent or printed blank: unchecked, as in the gold
            checked += 1
            assert sum(cells[c] for c in ident.lhs) == pytest.approx(sum(cells[c] for c in ident.rhs)), \
                (r["id"], ident.name)
    assert checked > N * 20


def test_cell_lines_and_spans_hold_the_printed_number(corpus):
    for r in corpus:
        raw = r["text"].splitlines()
        assert set(r["cell_lines"]) == {c for c, v in r["cells"].items() if v is not None} - set(r["inferred_cells"])
        for cid, n in r["cell_lines"].items():
            a, b = r["cell_spans"][cid]
            token = raw[n - 1][a:b]
            assert token and token in raw[n - 1]
            assert _read_number(token) == pytest.approx(r["cells"][cid]), (r["id"], cid, token)
            assert isinstance(r["cells"][cid], (int, float)) and not isinstance(r["cells"][cid], bool)


def test_2021_reports_without_cell_corruptions_show_all_200_cells(corpus):
    lossy = {"lost_rows", "printed_blank", "truncated_end", "template_2019", "merged_other_row", "hybrid_t2_block",
             "pre2019_outline"}
    full = [r for r in corpus if not lossy & set(r["corruptions"])]
    assert full
    for r in full:
        assert len(r["cells"]) == 200 and None not in r["cells"].values()


# ---------------------------------------------------------------- corruptions, one by one
@pytest.mark.parametrize("name", CORRUPTIONS)
def test_each_corruption_can_be_produced_and_is_recorded(name):
    rec = _forced(name)
    assert name in rec["corruptions"]


def test_lost_rows_removes_cells_and_leaves_furniture():
    rec = _forced("lost_rows", ("tab_rows",))
    assert len(rec["cells"]) < 200
    assert any("lost at a page break" in n for n in rec["notes"])
    clean = generate_report(0, corruptions=("tab_rows",))
    assert len(clean["cells"]) == 200


def test_dropped_column_records_forced_zero_cells_as_inferred():
    rec = _forced("dropped_column", ("tab_rows",))
    assert rec["inferred_cells"]
    for cid in rec["inferred_cells"]:
        assert rec["cells"][cid] == 0 and cid not in rec["cell_lines"]


def test_printed_blank_gives_null_cells():
    rec = _forced("printed_blank", ("tab_rows",))
    assert None in rec["cells"].values()


def test_template_2019_has_no_table_2_or_3_cells():
    rec = _forced("template_2019")
    assert rec["template"] == "2019"
    assert not any(c.startswith(("t2.", "t3.")) for c in rec["cells"])
    assert any(c.startswith("t4.") for c in rec["cells"])
    assert "本年新制作数量" in rec["text"]


def _tokens(rec: dict) -> list[str]:
    raw = rec["text"].splitlines()
    return [raw[n - 1][slice(*rec["cell_spans"][c])] for c, n in rec["cell_lines"].items()]


def test_number_rewrites_show_in_the_printed_tokens():
    assert any(re.search("[０-９]", t) for t in _tokens(_forced("fullwidth")))
    assert any("," in t for t in _tokens(_forced("thousands_sep")))
    assert any(re.search("[OoIl〇]", t) for t in _tokens(_forced("ocr_noise", ("tab_rows",))))
    assert any(t in DASHES for t in _tokens(_forced("dash_zero")))


def test_layouts_look_like_their_names():
    tables = lambda rec: [ln["text"] for ln in rec["lines"] if ln["label"] == "table_row"]  # noqa: E731
    assert any(t.count("\t") >= 6 for t in tables(_forced("tab_rows")))
    one = _forced("one_cell_per_line")
    assert sum(t.startswith("\t") and t.strip().isdigit() for t in tables(one)) > 100
    assert all("|" in t for t in tables(_forced("pipes")))
    plain = _forced("blank_line_between_cells")
    raw = plain["text"].splitlines()
    n = plain["cell_lines"][next(iter(plain["cell_lines"]))]
    assert not raw[n].strip() or "|" in raw[n - 1]  # a blank line follows the cell


def test_text_shape_corruptions():
    words = {a for a, _ in SPLIT_HEADER_WORDS} | {b for _, b in SPLIT_HEADER_WORDS}
    rec = _forced("split_headers", ("one_cell_per_line",))
    assert any(ln["text"].strip() in words and ln["label"] == "table_row" for ln in rec["lines"])
    rec = _forced("markdown")
    assert any(ln["text"].startswith("#") and ln["label"] == "heading" for ln in rec["lines"])
    rec = _forced("traditional")
    assert "公開" in rec["text"] and "公开" not in rec["text"]
    rec = _forced("truncated_heading")
    assert any("truncated" in n for n in rec["notes"])
    rec = _forced("web_furniture")
    assert any(ln["label"] == "other" for ln in rec["lines"])
    rec = _forced("wrapped_paragraphs")
    raw = rec["text"].splitlines()
    assert any(len(p["text"]) > len(raw[p["n"] - 1].strip()) for p in rec["paragraphs"])


def test_glued_rows_put_two_rows_on_one_line():
    rec = _forced("glued_rows", ("tab_rows",))
    rows_per_line: dict[int, set[str]] = {}
    for cid, n in rec["cell_lines"].items():
        rows_per_line.setdefault(n, set()).add(CELL_BY_ID[cid].row)
    assert max(len(v) for v in rows_per_line.values()) >= 2


# ---------------------------------------------------------------- forms and layouts of real publishers (issue 12)
NEW_TYPES = ("merged_other_row", "hybrid_t2_block", "pre2019_outline", "wrapped_labels", "markdown_row_groups",
             "one_line_glued")
_COLS = [k for k, _ in T3_COLUMNS]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _table_lines(rec: dict) -> list[str]:
    return [ln["text"] for ln in rec["lines"] if ln["label"] == "table_row"]


def test_new_types_are_corruptions_drawn_in_mixed_plans_and_alone():
    assert set(NEW_TYPES) <= set(CORRUPTIONS)
    seen = {c for r in generate_corpus(400, seed=1000) for c in r["corruptions"]}
    assert set(NEW_TYPES) <= seen
    for name in NEW_TYPES:  # forced alone: the per-type held-out sets of training.eval_cells
        recs = [generate_report(s, corruptions=[name]) for s in range(3)]
        assert all(name in r["corruptions"] for r in recs)
        assert all(not ({"wrapped_labels", "markdown_row_groups", "one_line_glued"} - {name}) & set(r["corruptions"])
                   for r in recs)


def test_eval_cells_held_out_sets_include_the_new_types():
    from training.eval_cells import held_out_sets

    sets = held_out_sets(per_type=2, mixed=0)
    for name in NEW_TYPES:
        assert sets[name] and all(name in r["corruptions"] for r in sets[name])


def test_merged_other_row_drops_the_sub_rows_and_the_identities_hold_with_its_sums():
    recs = [generate_report(s, corruptions=("merged_other_row", "tab_rows"), profile="large") for s in range(30)]
    assert any(any(r["extra_cells"].values()) for r in recs)  # some merged rows print non-zero numbers
    for rec in recs:
        cells, extra = rec["cells"], rec["extra_cells"]
        assert not any(c.startswith("t3.other.") for c in cells)
        assert sum(c.startswith("t3.") for c in cells) == 175 - 21 and len(cells) == 200 - 21
        assert set(extra) == {f"t3.other_merged.{c}" for c in _COLS}
        for c in _COLS:  # total = the 18 outcome rows + the merged row
            parts = [cells[f"t3.{r}.{c}"] for r in T3_COMPONENTS if not r.startswith("other.")]
            assert cells[f"t3.total.{c}"] == sum(parts) + extra[f"t3.other_merged.{c}"], (rec["id"], c)
        assert extra["t3.other_merged.total"] == sum(extra[f"t3.other_merged.{c}"] for c in _COLS[:-1])
        lines = set(rec["extra_cell_lines"].values())
        assert len(lines) == 1  # one row with its own seven numbers, read back from the text
        line = rec["text"].splitlines()[lines.pop() - 1]
        assert "其他处理" in line
        for cid, (a, b) in rec["extra_cell_spans"].items():
            assert _read_number(line[a:b]) == extra[cid]
        tables = "\n".join(_table_lines(rec))
        assert "逾期不补正" not in tables and "缴纳费用" not in tables  # no sub-row is printed
        assert "自然人" in tables and "商业企业" in tables  # the normal seven-column header


def test_hybrid_t2_block_leaves_only_its_2019_block_unmapped():
    seen = set()
    for seed in range(40):
        rec = generate_report(seed, corruptions=("hybrid_t2_block", "tab_rows"))
        t2 = {c.split(".")[1] for c in rec["cells"] if c.startswith("t2.")}
        tables = "\n".join(_table_lines(rec))
        assert "本年新制作数量" in tables and "对外公开总数量" in tables
        assert sum(c.startswith("t4.") for c in rec["cells"]) == 15
        if rec["template"] == "2021":  # a 2021 report keeping the 2019 columns in its 第二十条第（一）项 block
            assert t2 == {"licensing", "penalty", "enforcement", "fees"}
            assert "本年制发件数" not in tables and "本年处理决定数量" in tables
            assert sum(c.startswith("t3.") for c in rec["cells"]) in (175, 175 - 21)
        else:  # a 2019 report: table 二 all 2019 (not mapped), table 三 seven columns (mapped, merged row)
            assert rec["template"] == "2019" and not t2 and "上一年项目数量" in tables
            assert "merged_other_row" in rec["corruptions"]
            assert sum(c.startswith("t3.") for c in rec["cells"]) == 175 - 21
        seen.add(rec["template"])
    assert seen == {"2021", "2019"}


def test_template_2019_is_the_narrow_table_3_that_maps_nothing():
    for seed in range(5):
        rec = generate_report(seed, corruptions=("template_2019", "tab_rows"))
        assert not any(c.startswith(("t2.", "t3.")) for c in rec["cells"])
        assert "商业企业" not in "\n".join(_table_lines(rec))


def test_pre2019_outline_has_no_cells_but_numbers_in_prose_and_other_tables():
    with_tables = 0
    for seed in range(12):
        rec = generate_report(seed, corruptions=("pre2019_outline",))
        assert rec["cells"] == {} and rec["cell_lines"] == {} and rec["template"] == "pre2019"
        heads = [_squash(ln["text"]) for ln in rec["lines"] if ln["label"] == "heading"]
        assert any(h.startswith("一、") for h in heads) and any("收费" in h for h in heads)
        assert not any("收到和处理政府信息公开申请" in h for h in heads)
        assert any(re.search(r"\d+[条件]", ln["text"]) for ln in rec["lines"] if ln["label"] == "narrative")
        tables = _table_lines(rec)
        with_tables += bool(tables)
        assert not any(w in "".join(tables) for w in ("本年制发件数", "商业企业", "结果维持"))
        assert {p["section"] for p in rec["paragraphs"]} <= {"一", "五", "六"}
    assert with_tables >= 3


def test_one_line_glued_holds_the_whole_report_on_one_line_with_every_cell_in_order():
    for seed in range(6):
        rec = generate_report(seed, corruptions=("one_line_glued",))
        raw = rec["text"].splitlines()
        body = [ln for ln in rec["lines"] if ln["label"] != "other"]
        assert len(body) == 1 and body[0]["label"] == "narrative" and body[0]["n"] == len(raw)
        head = [ln["text"] for ln in rec["lines"][:-1]]
        assert head[0].startswith(("标题", "题名", "页面标题")) and "正文" in head[-1]
        line, n = body[0]["text"], body[0]["n"]
        assert len(line) > 1500 and all(s in line for s in ("一、", "二、", "三、", "四、", "五、", "六、"))
        assert len(rec["cells"]) == 200 and set(rec["cell_lines"].values()) == {n} and rec["paragraphs"] == []
        order = sorted(rec["cell_spans"], key=lambda c: CELL_BY_ID[c].index)
        prev = None
        for cid in order:
            a, b = rec["cell_spans"][cid]
            assert _read_number(line[a:b]) == rec["cells"][cid]
            if prev is not None:  # in reading order; numbers of one row run together (a space at most)
                pa, pb = rec["cell_spans"][prev]
                assert pb <= a
                if CELL_BY_ID[prev].row == CELL_BY_ID[cid].row and CELL_BY_ID[cid].table == "t3":
                    assert line[pb:a] in ("", " "), (rec["id"], cid, line[pb:a])
            prev = cid
        assert re.search(r"本年新收政府信息公开申请数量 ?\d[\d ]{6,}", line)  # `…申请数量640020470`


def _cell_rows(rec: dict) -> dict[str, int]:
    """t3 row key → the line its first cell is on."""
    out: dict[str, int] = {}
    for cid, n in rec["cell_lines"].items():
        if cid.startswith("t3."):
            out.setdefault(CELL_BY_ID[cid].row, n)
    return out


def test_wrapped_labels_split_around_their_numbers_and_stand_vertically():
    vertical = first = 0
    labels = {r.key: _squash(r.label) for r in T3_ROWS}
    groups = [_squash(g) for g in T3_GROUPS]
    for seed in range(8):
        rec = generate_report(seed, corruptions=("wrapped_labels",))
        raw = rec["text"].splitlines()
        kinds = {ln["n"]: ln["label"] for ln in rec["lines"]}
        wrapped = 0
        for row, n in _cell_rows(rec).items():
            assert kinds[n] == "table_row"
            if re.fullmatch(r"[\d ]+", raw[n - 1]) and n < len(raw):
                halves = _squash(raw[n - 2] + raw[n])
                wrapped += halves.endswith(labels[row]) and not re.fullmatch(r"[\d ]+", raw[n - 2])
                first += _squash(raw[n]) == labels[row]  # numbers, then the label on the next line
            elif re.match(r"\d", raw[n - 1]) and _squash(raw[n - 1]).endswith(labels[row]):
                first += 1  # numbers, then the label, on one line
        assert wrapped >= 1, rec["id"]
        t3 = [n for c, n in rec["cell_lines"].items() if c.startswith("t3.")]
        single = [n for n in range(min(t3), max(t3) + 1) if len(raw[n - 1].strip()) == 1
                  and not raw[n - 1].strip().isdigit()]
        assert all(kinds[n] == "table_row" for n in single)
        vertical += any(g in "".join(raw[n - 1].strip() for n in single) for g in groups)
        assert len(rec["cells"]) == 200
    assert vertical >= 3 and first >= 2


def test_markdown_row_groups_print_one_markdown_table_per_row_group():
    data_header = placeholder = 0
    for seed in range(8):
        rec = generate_report(seed, corruptions=("markdown_row_groups",))
        assert len(rec["cells"]) == 200
        raw = rec["text"].splitlines()
        kinds = {ln["n"]: ln["label"] for ln in rec["lines"]}
        tables: list[list[str]] = []
        prev_table = False
        for n, t in enumerate(raw, 1):
            is_table = t.startswith("|")
            if is_table:
                assert kinds[n] == "table_row"
                if not prev_table:
                    tables.append([])
                tables[-1].append(t)
            prev_table = is_table
        assert len(tables) >= 10  # one per row group, not one per template table
        for tab in tables:
            assert re.fullmatch(r"\|(\s*:?-{3}\s*\|)+", tab[1]) if len(tab) > 1 else True
            assert len({t.count("|") for t in tab}) == 1  # a markdown table keeps its width
        data_header += any("数据1" in t for t in raw)
        placeholder += any(re.fullmatch(r"\|( - \|)+", t) for t in raw)
        t2_rows = [t for t in raw if t.startswith("| 规章 |") or t.startswith("| 行政规范性文件 |")]
        assert t2_rows
    assert data_header >= 3 and placeholder >= 3


def _check_gold_module():
    """../shared/gold/check_gold.py (its copy in tests/fixtures/shared) loaded as a module."""
    script = SHARED_COPY / "gold" / "check_gold.py"
    spec = importlib.util.spec_from_file_location("check_gold", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NEW_TYPES)
def test_new_types_pass_the_shared_gold_checker(tmp_path, name):
    check_gold = _check_gold_module()
    for seed in range(6):
        rec = generate_report(seed, corruptions=[name, "wrapped_paragraphs", "label_variants"])
        (tmp_path / rec["source"]).write_text(rec["text"], encoding="utf-8")
        g = {"id": rec["id"], "source": rec["source"], "lines": rec["lines"], "cells": rec["cells"],
             "notes": rec["notes"],
             "paragraphs": [{k: p[k] for k in ("n", "section", "themes")} for p in rec["paragraphs"]]}
        (tmp_path / f"{rec['id']}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
        errors, _, _ = check_gold.check_file(str(tmp_path / f"{rec['id']}.json"), str(tmp_path))
        assert not errors, (rec["id"], errors[:3])


# ---------------------------------------------------------------- against the shared validator
def test_records_pass_the_shared_gold_checker(tmp_path):
    check_gold = _check_gold_module()
    gold, reports = tmp_path / "gold", tmp_path / "reports"
    gold.mkdir(), reports.mkdir()
    for rec in generate_corpus(40, seed=500, probs={c: 0.3 for c in CORRUPTIONS if c not in LAYOUTS}):
        (reports / rec["source"]).write_text(rec["text"], encoding="utf-8")
        g = {"id": rec["id"], "source": rec["source"], "lines": rec["lines"], "cells": rec["cells"], "notes": rec["notes"],
             "paragraphs": [{k: p[k] for k in ("n", "section", "themes")} for p in rec["paragraphs"]]}
        (gold / f"{rec['id']}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
        errors, _, _ = check_gold.check_file(str(gold / f"{rec['id']}.json"), str(reports))
        assert not errors, (rec["id"], rec["corruptions"], errors[:3])


# ---------------------------------------------------------------- no evaluation text in the training data
_LEAK_K = 20  # characters of a shared passage, whitespace removed
# what every report prints: the statute, the format circular, the report title and the section titles
_FORMULAE = ("《中华人民共和国政府信息公开条例》", "国办公开办函〔2021〕30号", "政府信息公开工作年度报告",
             *{t for sec in SECTIONS for t in (sec.title, *sec.variants)})


def _squeeze(text: str, mask: str) -> str:
    text = re.sub(r"\s+", "", text)
    for f in sorted(_FORMULAE, key=len, reverse=True):
        text = text.replace(f, mask)
    return text


def test_generated_narrative_shares_no_passage_with_the_evaluation_reports():
    """The five shared reports are the evaluation set: no narrative paragraph of the generator may quote a
    narrative line of theirs (≥ 20 characters in common), or evaluation figures would be inflated."""
    gold = GOLD
    grams: dict[str, str] = {}
    for path in sorted(gold.glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        sample = SAMPLES / rec["source"]
        if not sample.is_file():
            continue
        lines = sample.read_text(encoding="utf-8").split("\n")
        for ln in rec["lines"]:
            if ln["label"] != "narrative":
                continue
            t = _squeeze(lines[ln["n"] - 1], "\x00")
            for i in range(len(t) - _LEAK_K + 1):
                grams.setdefault(t[i:i + _LEAK_K], rec["source"])
    if not grams:
        pytest.skip("no narrative lines of the shared reports to compare with")
    leaks = []
    for rec in generate_corpus(300, seed=11):
        texts = [p["text"] for p in rec["paragraphs"]] + [l["text"] for l in rec["lines"] if l["label"] == "narrative"]
        for text in texts:
            t = _squeeze(text, "\x01")
            hit = next((t[i:i + _LEAK_K] for i in range(len(t) - _LEAK_K + 1) if t[i:i + _LEAK_K] in grams), None)
            if hit is not None:
                leaks.append((rec["id"], grams[hit], hit))
    assert not leaks, leaks[:5]


# ---------------------------------------------------------------- helpers and CLI
def test_corrupt_text_keeps_every_line_length():
    text = "一、总体情况\n规章\t0\t10\t1\n\n本年度未收到政府信息公开申请（共0件）。"
    out = corrupt_text(text, ["traditional", "fullwidth", "halfwidth_punct", "ocr_noise"], seed=3)
    assert [len(l) for l in out.split("\n")] == [len(l) for l in text.split("\n")]
    assert out != text
    with pytest.raises(ValueError):
        corrupt_text(text, ["lost_rows"])


def test_cli_writes_jsonl(tmp_path):
    from training.synth.__main__ import main

    out = tmp_path / "s.jsonl"
    assert main(["--n", "3", "--seed", "5", "--out", str(out)]) == 0
    recs = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["synth-5", "synth-6", "synth-7"]
