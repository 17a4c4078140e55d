"""Batch runs: a killed batch resumes without loss or duplicates; workers give identical records; panels."""
import json
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO, SAMPLES


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    for i in range(6):
        for p in sorted(SAMPLES.glob("*.txt")):
            shutil.copy(p, d / f"{i:02d}_{p.name}")
    (d / "zz_empty.txt").write_bytes(b"")
    return d


def parse_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "gazette_nlp", "parse", *args]


def records(path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "ref.jsonl"
    res = subprocess.run(parse_cmd(str(corpus), "--out", str(out), "-q"), cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 1  # the empty file fails, the batch goes on
    return records(out)


def test_reference_run_has_every_file_once(reference, corpus):
    assert len(reference) == len(list(corpus.iterdir()))
    assert sum(r["meta"]["status"] == "error" for r in reference) == 1


def test_killed_batch_resumes_to_identical_records(corpus, reference, tmp_path):
    out = tmp_path / "killed.jsonl"
    proc = subprocess.Popen(parse_cmd(str(corpus), "--out", str(out), "-q"), cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.read_text(encoding="utf-8").count("\n") < 5):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = out.read_text(encoding="utf-8").count("\n")
    assert 5 <= done < len(reference)
    with out.open("a", encoding="utf-8") as fh:  # what a kill in the middle of a write leaves behind
        fh.write('{"source": "half a rec')
    subprocess.run(parse_cmd(str(corpus), "--out", str(out), "-q", "--resume"), cwd=REPO, capture_output=True)
    resumed = records(out)
    assert sorted(json.dumps(r, sort_keys=True) for r in resumed) == sorted(json.dumps(r, sort_keys=True)
                                                                           for r in reference)


def test_two_workers_give_the_same_records_in_order(corpus, reference, tmp_path):
    out = tmp_path / "w2.jsonl"
    subprocess.run(parse_cmd(str(corpus), "--out", str(out), "-q", "--workers", "2"), cwd=REPO, capture_output=True)
    assert records(out) == reference


def test_csv_panel_has_one_row_per_report_and_a_column_per_cell(corpus, tmp_path):
    import pandas as pd

    from gazette_nlp.template import CELL_IDS

    out = tmp_path / "panel.csv"
    subprocess.run(parse_cmd(str(SAMPLES), "--out", str(out), "-q"), cwd=REPO, capture_output=True, check=True)
    frame = pd.read_csv(out)
    assert len(frame) == 5 and list(frame.columns[-200:]) == list(CELL_IDS)
    row = frame[frame.source.str.contains("002_")].iloc[0]
    assert row["t3.new.total"] == 36 and row["year"] == 2024


def test_dask_local_cluster_gives_the_same_records(corpus, reference, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "dask.jsonl"
    res = subprocess.run(parse_cmd(str(corpus), "--out", str(out), "-q", "--engine", "dask", "--workers", "2"),
                         cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 1 and "Traceback" not in res.stderr  # the empty file failed, nothing else
    assert records(out) == reference


def test_bad_input_suite_ends_each_file_with_a_clear_status(tmp_path, sample_texts):
    import os

    d = tmp_path / "bad"
    d.mkdir()
    good = sample_texts["002_42101ead988e0218"]
    (d / "a_good.txt").write_text(good, encoding="utf-8")
    (d / "b_gb18030.txt").write_bytes(good.encode("gb18030"))
    (d / "c_utf16.txt").write_bytes(b"\xff\xfe" + good.encode("utf-16-le"))
    (d / "d_truncated.txt").write_bytes(good.encode("utf-8")[:-2])
    (d / "e_empty.txt").write_bytes(b"")
    (d / "f_binary.txt").write_bytes(os.urandom(4096))
    (d / "g_english.txt").write_text("Minutes of the parks committee.\nWe met twice.\n", encoding="utf-8")
    (d / "h_big.txt").write_text(("本年度我单位积极推进政务公开工作。\n" * 1_200_000), encoding="utf-8")  # ~50 MB
    locked = d / "i_locked.txt"
    locked.write_text(good, encoding="utf-8")
    locked.chmod(0)
    out = tmp_path / "bad.jsonl"
    res = subprocess.run(parse_cmd(str(d), "--out", str(out), "-q"), cwd=REPO, capture_output=True, text=True)
    recs = {os.path.basename(r["source"]): r for r in records(out)}
    assert res.returncode == 1 and "Traceback" not in res.stderr and len(recs) == 9
    status = {k: r["meta"]["status"] for k, r in recs.items()}
    assert status["e_empty.txt"] == status["f_binary.txt"] == "error"
    assert status["g_english.txt"] == "not_a_report"
    assert status["h_big.txt"] in ("ok", "error", "not_a_report")  # a clear status, never a crash of the batch
    if os.geteuid() != 0:  # root reads any file
        assert status["i_locked.txt"] == "error"
    base = recs["a_good.txt"]
    for name in ("b_gb18030.txt", "c_utf16.txt", "d_truncated.txt"):
        assert status[name] == "ok"
        assert recs[name]["cells"] == base["cells"], name


def test_parquet_panel_matches_the_records(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "panel.parquet"
    subprocess.run(parse_cmd(str(SAMPLES), "--out", str(out), "-q"), cwd=REPO, capture_output=True, check=True)
    frame = pd.read_parquet(out)
    assert len(frame) == 5
    row = frame[frame.source.str.contains("003_")].iloc[0]
    assert pd.isna(row["t4.review.total"]) and row["t3.granted.natural_person"] == 0 and row["issues"] >= 1
    assert row["t2.fees.amount"] == 0 and frame[frame.source.str.contains("002_")].iloc[0]["t2.fees.amount"] == 2561.768
