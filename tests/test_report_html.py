"""The HTML evaluation report: every section, its plots embedded, nothing fetched, and the wrong cells it lists
are exactly the ones a deliberately degraded prediction file got wrong."""
from __future__ import annotations

import base64
import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from conftest import GOLD, REPO

pytest.importorskip("matplotlib")

from gazette_nlp.evaluate import (TrainingCodeNotFoundError, evaluate_corruptions, evaluate_records, load_golds,
                                  reliability)
from gazette_nlp.pipeline import Pipeline
from gazette_nlp.readers.text import read_text
from gazette_nlp.report_html import SECTIONS, PlotsUnavailableError, build_html

PNG = b"\x89PNG\r\n\x1a\n"


class Page(HTMLParser):
    """Sections with their images, wrong-cell rows (data-report / data-cell) and every external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self.text: dict[str, str] = {}
        self.rows: dict[str, set[tuple[str, str]]] = {"wrong": set(), "extra": set()}
        self.external: list[str] = []
        self.scripts = 0
        self._section: str | None = None
        self._table: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self._section = a["id"]
            self.sections[self._section] = []
            self.text[self._section] = ""
        elif tag == "img" and self._section:
            self.sections[self._section].append(a["src"])
        elif tag == "table":
            self._table = a.get("class")
        elif tag == "tr" and "data-cell" in a and self._table in self.rows:
            self.rows[self._table].add((a["data-report"], a["data-cell"]))
        if tag in ("script", "link", "iframe"):
            self.scripts += 1
        for key in ("src", "href"):
            v = a.get(key) or ""
            if v and not v.startswith(("data:", "#")):
                self.external.append(v)

    def handle_endtag(self, tag):
        if tag == "section":
            self._section = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._section:
            self.text[self._section] += data


def parse_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def records(sample_texts):
    pipe = Pipeline()
    return [pipe(read_text(t, source=f"{sid}.txt")).to_json() for sid, t in sample_texts.items()]


@pytest.fixture(scope="module")
def degraded(records):
    """Three cells given a wrong value, two dropped, one invented, a few lines relabelled; returns the records and
    the (report, cell) pairs that must be listed as wrong and as extra."""
    golds = {g["id"]: g for g in load_golds(GOLD)}
    out = json.loads(json.dumps(records))
    wrong, extra = set(), set()
    for k, rec in enumerate(out[:3]):
        gid = rec["source"][:-4]
        gcells = sorted(c for c, v in golds[gid]["cells"].items() if c in rec["cells"] and v is not None)
        changed, dropped = gcells[5 + k], gcells[40 + k]
        rec["cells"][changed]["value"] = golds[gid]["cells"][changed] + 1000
        wrong.add((gid, changed))
        if k < 2:
            rec["cells"].pop(dropped)
            wrong.add((gid, dropped))
        for ln in rec["lines"][:4]:
            ln["label"] = "other"
    # 004's gold lacks the t3 cells lost at a page break: an output value there is an extra cell
    rec = next(r for r in out if r["source"].startswith("004_"))
    gid = rec["source"][:-4]
    assert "t3.new.natural_person" not in golds[gid]["cells"]
    rec["cells"]["t3.new.natural_person"] = {"value": 1, "line": 1, "confidence": 0.6, "origin": "read", "raw": "1"}
    extra.add((gid, "t3.new.natural_person"))
    return out, wrong, extra


def test_every_section_with_its_plots_and_nothing_fetched(degraded):
    recs, wrong, extra = degraded
    result = evaluate_records(recs, load_golds(GOLD))
    # a made-up per-corruption result in eval_cells' schema, so this test does not depend on the generator
    m = {"accuracy": 0.5, "accuracy_nonzero": 0.25, "reports_all_ok": 1, "silent_errors": 2, "extra_cells": 0}
    corruption = {"mixed": {"reports": 2, "cells": 400, "rules": m, "baseline": {**m, "accuracy": None}},
                  "lost_rows": {"reports": 0, "cells": 0, "rules": m, "baseline": m},
                  "_speed_reports_per_s": {"rules": 70.0, "baseline": 90.0}}
    page = parse_page(build_html(result, corruption))
    assert list(page.sections) == list(SECTIONS)
    for name in ("line-confusion", "cells-by-table", "cells-by-corruption", "reliability", "themes"):
        assert page.sections[name], f"{name} has no plot"
        for src in page.sections[name]:
            assert src.startswith("data:image/png;base64,")
            assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG)
    assert page.external == [] and page.scripts == 0
    assert page.rows["wrong"] == wrong
    assert page.rows["extra"] == extra
    assert "lost_rows" in page.text["cells-by-corruption"] and "silent" in page.text["cells-by-corruption"]
    for theme in result["theme_f1"]:
        assert theme in page.text["themes"]
    assert "t3" in page.text["cells-by-table"] and "narrative" in page.text["line-confusion"]


def test_without_corruption_results_the_section_says_how(degraded):
    result = evaluate_records(degraded[0], load_golds(GOLD))
    page = parse_page(build_html(result))
    assert page.sections["cells-by-corruption"] == []
    assert "--synthetic" in page.text["cells-by-corruption"]


def test_cli_writes_the_report_with_corruption_types(degraded, tmp_path):
    recs, wrong, extra = degraded
    pred, out = tmp_path / "pred.jsonl", tmp_path / "report.html"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "gazette_nlp", "evaluate", "--gold", str(GOLD),
                          "--pred", str(pred), "--html", str(out), "--synthetic", "1"],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert "template_2019" in res.stdout  # the per-corruption table
    page = parse_page(out.read_text(encoding="utf-8"))
    assert list(page.sections) == list(SECTIONS)
    assert all(page.sections[s] for s in ("line-confusion", "cells-by-table", "cells-by-corruption",
                                          "reliability", "themes"))
    assert page.rows["wrong"] == wrong and page.rows["extra"] == extra
    text = page.text["cells-by-corruption"]
    assert all(name in text for name in ("mixed", "clean", "lost_rows", "rules", "baseline"))


def test_reliability_bins():
    details = [{"confidence": 0.95, "right": True, "absent": False}, {"confidence": 0.99, "right": False,
               "absent": False}, {"confidence": 0.55, "right": True, "absent": False},
               {"confidence": None, "right": False, "absent": True}, {"confidence": 1.0, "right": True}]
    bins = reliability(details, bins=10)
    assert [b["n"] for b in bins] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 3]
    assert bins[9]["accuracy"] == round(2 / 3, 4) and bins[9]["mean_confidence"] == round((0.95 + 0.99 + 1) / 3, 4)
    assert bins[5]["accuracy"] == 1.0


def test_named_errors_without_matplotlib_or_training_code(monkeypatch, degraded):
    result = evaluate_records(degraded[0], load_golds(GOLD))
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(PlotsUnavailableError, match="matplotlib"):
        build_html(result)
    monkeypatch.setitem(sys.modules, "training.eval_cells", None)
    with pytest.raises(TrainingCodeNotFoundError, match="training code"):
        evaluate_corruptions(1)


def test_cli_html_error_is_one_line(tmp_path):
    res = subprocess.run([sys.executable, "-m", "gazette_nlp", "evaluate", "--gold", str(GOLD),
                          "--pred", str(tmp_path / "missing.jsonl"), "--html", str(tmp_path / "r.html")],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert res.returncode != 0 and "DataError" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "r.html").exists()


def test_a_long_list_of_wrong_cells_is_cut_with_a_note(monkeypatch, degraded):
    import gazette_nlp.report_html as rh

    recs, wrong, _ = degraded
    monkeypatch.setattr(rh, "MAX_ROWS", 2)
    page = parse_page(build_html(evaluate_records(recs, load_golds(GOLD))))
    assert len(page.rows["wrong"]) == 2 and f"{len(wrong) - 2} more not listed" in page.text["wrong-cells"]
