"""gazette-nlp compare: two shared real reports (one issuer, 2022 and 2023) side by side, and the panel."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gazette_nlp.cli import main
from gazette_nlp.compare import comparison, panel_rows, render_text

REAL = Path(__file__).resolve().parent / "fixtures" / "shared" / "real"


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cmp") / "real.jsonl"
    assert main(["parse", str(REAL / "005.txt"), str(REAL / "006.txt"), str(REAL / "007.txt"), "--out", str(out),
                 "-q"]) == 0
    return out


def _recs(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_json_keys_and_changes(records, tmp_path, capsys):
    a, b, _ = _recs(records)
    a_file, b_file = tmp_path / "a.json", tmp_path / "b.json"
    a_file.write_text(json.dumps(a, ensure_ascii=False), encoding="utf-8")
    b_file.write_text(json.dumps(b, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "cmp.json"
    assert main(["compare", str(a_file), str(b_file), "--json", str(out), "-q"]) == 0
    comp = json.loads(out.read_text(encoding="utf-8"))
    assert {"a", "b", "cells", "facts", "themes"} <= set(comp)
    assert set(comp["a"]) == {"source", "meta"} and comp["a"]["meta"]["year"] == 2022
    row = {r["id"]: r for r in comp["cells"]}["t2.normative_docs.in_force"]
    assert row == {"id": "t2.normative_docs.in_force", "a": 698, "b": 470, "change": -228, "pct": -32.7}
    assert all(set(r) == {"id", "a", "b", "change", "pct"} for r in comp["cells"])
    # the 2023 report's narrative 393 against the table's 470 is a fact that disagrees, on side B only
    assert [f["value"] for f in comp["facts"]["b"] if f["agrees"] is False] == [393]
    assert not [f for f in comp["facts"]["a"] if f["agrees"] is False]
    assert comp["identities"]["a"]["violated"] == []


def test_html_is_self_contained_and_largest_change_first(records, tmp_path):
    out = tmp_path / "cmp.html"
    assert main(["compare", str(REAL / "005.txt"), str(REAL / "006.txt"), "--html", str(out), "-q"]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert not re.search(r"<script|<link|src=|https?://", page)
    first = re.search(r"<tr><td>([^<]+)</td>", page).group(1)
    assert first == "t2.licensing.decisions"  # 10690 → 2629, the largest change


def test_terminal_table(records, capsys):
    a, b, _ = _recs(records)
    text = render_text(comparison(a, b))
    assert "平潭综合实验区 2022" in text and "t3.new.total" in text and "-32.7%" in text
    assert "DISAGREES" in text and "identities" in text


def test_panel_one_row_per_issuer_and_year_pair(records, tmp_path):
    rows = panel_rows(_recs(records))
    assert [(r["issuer"], r["year_a"], r["year_b"]) for r in rows] == [
        ("平潭综合实验区", 2022, 2023), ("平潭综合实验区", 2023, 2024)]
    out = tmp_path / "panel.jsonl"
    assert main(["compare", "--panel", str(out), str(records)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
