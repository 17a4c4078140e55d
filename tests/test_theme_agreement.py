"""training.themes.agreement: a second annotation is matched to the training labels and scored."""
from __future__ import annotations

import json

import pytest

from training.themes.agreement import agreement
from training.themes.data import REAL_THEMES


def test_agreement_counts_a_changed_label(tmp_path):
    recs = [json.loads(l) for l in REAL_THEMES.read_text(encoding="utf-8").splitlines()[:4]]
    second = [dict(r) for r in recs]
    second[0]["themes"] = ["requests"] if second[0]["themes"] == ["fees"] else ["fees"]  # surely another label
    f = tmp_path / "second.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in second), encoding="utf-8")
    same = tmp_path / "same.jsonl"
    same.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    assert agreement(same)["real"]["annotators_micro_f1"] == 1.0
    got = agreement(f)["real"]
    assert got["paragraphs"] == 4 and got["annotators_micro_f1"] < 1.0


def test_agreement_rejects_an_unknown_paragraph(tmp_path):
    f = tmp_path / "second.jsonl"
    f.write_text(json.dumps({"report": "R999", "n": 1, "text": "x", "themes": []}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="R999"):
        agreement(f)
