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
from conftest import REPO, SAMPLES, SHARED, require_gold

from gazette_nlp.model import LINE_LABELS
from gazette_nlp.template import CELL_BY_ID, IDENTITIES, SECTIONS, SPLIT_HEADER_WORDS
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
        assert r["template"] in ("2021", "2019")
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
    lossy = {"lost_rows", "printed_blank", "truncated_end", "template_2019"}
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


# ---------------------------------------------------------------- against the shared validator
def test_records_pass_the_shared_gold_checker(tmp_path):
    script = SHARED / "gold" / "check_gold.py"
    if not script.is_file():
        pytest.skip("../shared/gold/check_gold.py is not beside this checkout")
    spec = importlib.util.spec_from_file_location("check_gold", script)
    check_gold = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_gold)
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
    gold = require_gold()
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
