"""The command line: records on the samples, named errors and exit codes for bad input, batches go on."""
import json
import subprocess
import sys

import pytest
from conftest import REPO, SAMPLES

from gazette_nlp.cli import main


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gazette_nlp", *args], cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "undecodable.txt").write_bytes(b"\xff\xfe\x80\x81\xfe\xff" * 100 + b"\xff")
    (d / "english.txt").write_text("Annual report of the parks department.\nWe planted trees.\n", encoding="utf-8")
    return d


def test_parse_samples_writes_one_record_per_report(tmp_path):
    out = tmp_path / "out.jsonl"
    res = run_cli("parse", str(SAMPLES), "--out", str(out))
    assert res.returncode == 0, res.stderr
    records = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    for rec in records:
        assert set(rec) >= {"source", "lines", "cells", "paragraphs", "issues", "meta"}
        assert all(l["label"] in ("heading", "table_row", "narrative", "other") for l in rec["lines"])
    assert "cells read" in res.stdout  # the per-report summary


@pytest.mark.parametrize("name,error", [("empty.txt", "EmptyInputError"), ("binary.txt", "BinaryInputError"),
                                        ("undecodable.txt", "DecodeError"), ("english.txt", "NotAReportError")])
def test_bad_single_file_gives_named_error_and_nonzero_exit(bad_files, name, error, capsys):
    code = main(["parse", "-q", str(bad_files / name)])
    err = capsys.readouterr().err
    assert code != 0
    assert error in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2


def test_missing_file_and_unknown_stage_do_not_trace(tmp_path, capsys):
    assert main(["parse", "-q", str(tmp_path / "missing.txt")]) != 0
    assert "Traceback" not in capsys.readouterr().err


def test_batch_with_bad_files_goes_on_and_reports_each(bad_files, tmp_path):
    good = SAMPLES / "002_42101ead988e0218.txt"
    out = tmp_path / "mixed.jsonl"
    res = run_cli("parse", str(good), str(bad_files), "--out", str(out), "--quiet")
    assert res.returncode == 1
    recs = {json.loads(l)["source"]: json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()}
    assert len(recs) == 5
    assert recs[str(good)]["meta"]["status"] == "ok"
    statuses = sorted(r["meta"]["status"] for s, r in recs.items() if s != str(good))
    assert statuses == ["error", "error", "error", "not_a_report"]
    assert "Traceback" not in res.stderr and "4 of 5 files failed" in res.stderr
    alone = tmp_path / "alone.jsonl"
    run_cli("parse", str(good), "--out", str(alone), "--quiet")
    assert json.loads(alone.read_text(encoding="utf-8")) == recs[str(good)]


def test_paths_from_stdin(tmp_path):
    out = tmp_path / "stdin.jsonl"
    paths = "\n".join(str(p) for p in sorted(SAMPLES.glob("00[01]*.txt")))
    res = run_cli("parse", "-", "--out", str(out), "-q", stdin=paths)
    assert res.returncode == 0, res.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_annotate_writes_a_gold_format_draft(tmp_path):
    from gazette_nlp.annotations import read_gold, report_with_gold

    out = tmp_path / "draft.json"
    assert main(["annotate", str(SAMPLES / "003_cc5777ecc468ec6c.txt"), "--out", str(out)]) == 0
    draft = read_gold(out)
    report = report_with_gold(draft, (SAMPLES / "003_cc5777ecc468ec6c.txt").read_text(encoding="utf-8"))
    assert all(ln.label for ln in report.lines if not ln.blank)
    assert draft["cells"]["t4.review.total"] is None and len(draft["cells"]) == 200
    # the 18 identity-forced zeros are marked for a person to check
    assert sum(n.startswith("CHECK cell") and "inferred" in n for n in draft["notes"]) == 18
