"""training.train_themes: the per-paragraph error rows of a cross-validation (what `--errors FILE` writes)."""
from __future__ import annotations

import json

from training.train_themes import _collect, main


def _ex(report: str, n: int, themes: list[str], text: str) -> dict:
    return {"report": report, "n": n, "themes": themes, "text": text, "section": "一", "heading": "（五）监督保障"}


def test_error_rows_carry_probabilities_heading_and_the_whole_text():
    long_text = "将政务公开纳入年度考核，" * 10
    test = [_ex("P1", 3, ["supervision"], long_text), _ex("P1", 5, ["platforms"], "网站运行平稳。")]
    probs = [{"supervision": 0.31234, "platforms": 0.1}, {"supervision": 0.0, "platforms": 0.9}]
    out = _collect([([], test)], [[[], ["platforms"]]], probs=[probs])
    assert len(out["errors"]) == 1  # the right one is not an error
    row = out["errors"][0]
    assert (row["report"], row["n"], row["gold"], row["pred"]) == ("P1", 3, ["supervision"], [])
    assert row["prob"]["supervision"] == 0.312 and row["heading"] == "（五）监督保障"
    assert row["text"] == long_text  # whole, to judge the label against the guidelines
    assert out["per_theme"]["supervision"]["recall"] == 0.0


def test_error_rows_without_probabilities():
    test = [_ex("P2", 1, ["training"], "开展培训。")]
    row = _collect([([], test)], [[["staffing"]]])["errors"][0]
    assert "prob" not in row and row["pred"] == ["staffing"]


def test_errors_option_is_parsed(monkeypatch, tmp_path, capsys):
    seen = {}

    def fake(*args, **kwargs):
        seen.update(kwargs)
        return {"train_examples": {}}

    monkeypatch.setattr("training.train_themes.train_themes", fake)
    main(["--errors", str(tmp_path / "e.jsonl"), "--no-eval"])
    assert seen["errors_out"] == str(tmp_path / "e.jsonl")
    assert json.loads(capsys.readouterr().out) == {"train_examples": {}}
