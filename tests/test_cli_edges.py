"""Edges of the command line (issue 15): outputs checked before any work, bounded inputs, directories walked by
content, charsets, one stderr line per failed file, summaries a person can read, typed panels, traceback kept.

Most tests run `main` in this process, so the models load once for the module."""
import json
import os
import shutil
import time

import pytest
from conftest import SAMPLES

from gazette_nlp.cli import main
from gazette_nlp.template import CELL_IDS

S002 = SAMPLES / "002_42101ead988e0218.txt"
S003 = SAMPLES / "003_cc5777ecc468ec6c.txt"
S004 = SAMPLES / "004_4d52fde21a8cca17.txt"


@pytest.fixture(autouse=True)
def _default_limit(monkeypatch):
    monkeypatch.delenv("GAZETTE_NLP_MAX_CHARS", raising=False)


def records(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def err_lines(captured) -> list[str]:
    return [line for line in captured.err.splitlines() if line.strip()]


# ---------------------------------------------------------------- outputs, checked before parsing
@pytest.mark.parametrize("name", ["panel.csv", "panel.parquet", "out.jsonl"])
def test_output_into_a_missing_directory_fails_before_any_parsing(tmp_path, capsys, monkeypatch, name):
    import gazette_nlp.batch as batch

    def no_parsing(*a, **k):
        raise AssertionError("parsing started before the output was checked")

    monkeypatch.setattr(batch, "run_batch", no_parsing)
    code = main(["parse", str(SAMPLES), "--out", str(tmp_path / "no_such_dir" / name)])
    err = capsys.readouterr().err
    assert code == 2 and "OutputError" in err and "does not exist" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [["annotate", str(S002), "--out"], ["evaluate", "--gold", str(SAMPLES), "--json"],
                                  ["evaluate", "--gold", str(SAMPLES), "--html"]])
def test_annotate_and_evaluate_outputs_are_checked_first(tmp_path, capsys, argv):
    assert main(argv + [str(tmp_path / "no_such_dir" / "x.json")]) == 2
    err = capsys.readouterr().err
    assert "OutputError" in err and "does not exist" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["panel.xlsx", "records", "out.txt"])
def test_unknown_output_format_is_rejected(tmp_path, capsys, name):
    out = tmp_path / name
    assert main(["parse", str(S002), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "OutputError" in err and "unknown output format" in err
    assert not out.exists()


def test_cells_long_needs_a_panel_and_resume_a_jsonl(tmp_path, capsys):
    assert main(["parse", str(S002), "--out", str(tmp_path / "a.jsonl"), "--cells-long"]) == 2
    assert main(["parse", str(S002), "--out", str(tmp_path / "a.csv"), "--resume"]) == 2
    assert capsys.readouterr().err.count("OutputError") == 2


@pytest.mark.parametrize("w", ["0", "-3", "two"])
def test_workers_must_be_one_or_more(w, capsys):
    with pytest.raises(SystemExit) as e:
        main(["parse", "-w", w, str(S002)])
    assert e.value.code == 2 and "--workers" in capsys.readouterr().err


def test_panel_is_written_under_a_temporary_name_until_closed(tmp_path):
    from gazette_nlp.outputs import PanelWriter
    from gazette_nlp.model import Report

    out = tmp_path / "p.csv"
    writer = PanelWriter(out, batch_size=1)
    writer.add(Report(source="x.txt", meta={"status": "ok"}))
    assert not out.exists() and (tmp_path / "p.csv.part").exists()  # rows are on disk, not under the final name
    writer.close()
    assert out.exists() and not (tmp_path / "p.csv.part").exists()


# ---------------------------------------------------------------- bounded inputs
def test_a_50_mb_text_is_refused_quickly_with_a_named_error(tmp_path):
    from gazette_nlp.errors import InputTooLargeError
    from gazette_nlp.readers.route import read_any

    one = S002.read_bytes()
    big = tmp_path / "big.txt"
    big.write_bytes(one * (50 * 1024 * 1024 // len(one)))
    start = time.monotonic()
    with pytest.raises(InputTooLargeError, match="--max-chars"):
        read_any(big)
    assert time.monotonic() - start < 15  # it was 273 s and 6.2 GB before the limit


def test_max_chars_sets_the_limit(capsys):
    assert main(["parse", "-q", "--max-chars", "1000", str(S002)]) == 2
    err = err_lines(capsys.readouterr())
    assert len(err) == 1 and "InputTooLargeError" in err[0]
    assert "GAZETTE_NLP_MAX_CHARS" not in os.environ  # the run's limit does not outlive the run
    assert main(["parse", "-q", "--max-chars", "100000", str(S002)]) == 0


def test_a_text_holding_the_template_three_times_is_flagged():
    from gazette_nlp.pipeline import parse

    text = S002.read_text(encoding="utf-8")
    report = parse("\n".join([text] * 3))
    flagged = [i for i in report.issues if i.kind == "repeated_template"]
    assert len(flagged) == 1 and "3 times" in flagged[0].message
    assert not [i for i in parse(text).issues if i.kind == "repeated_template"]


def test_no_real_report_or_excerpt_is_flagged_as_repeated(sample_texts):
    from conftest import SHARED_COPY

    from gazette_nlp.readers.bounds import template_copies

    real = [p.read_text(encoding="utf-8") for p in sorted((SHARED_COPY / "real").glob("0*.*"))]
    pool = [p.read_text(encoding="utf-8") for p in sorted((SHARED_COPY / "pool" / "raw").glob("*.txt"))]
    assert len(real) == 8 and len(pool) == 98
    assert all(template_copies(t) == 1 for t in list(sample_texts.values()) + real)
    assert all(template_copies(t) <= 1 for t in pool)  # excerpts, most without the tables


# ---------------------------------------------------------------- directories walked by content
@pytest.fixture(scope="module")
def web_dir(tmp_path_factory):
    pytest.importorskip("lxml")
    d = tmp_path_factory.mktemp("site")
    page = "<html><head><meta charset='utf-8'></head><body><pre>{}</pre></body></html>"
    html = page.format(S002.read_text(encoding="utf-8"))
    for name in ("report.shtml", "report.jsp", "report.jhtml", "report.htm"):
        (d / name).write_text(html, encoding="utf-8")
    (d / "sub").mkdir()
    shutil.copy(S004, d / "sub" / "report_no_extension")
    (d / "notes.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    (d / "server.log").write_text("GET /index.shtml 200\n", encoding="utf-8")
    (d / "earlier_run.jsonl").write_text(json.dumps({"source": "x", "lines": S002.read_text(encoding="utf-8")},
                                                    ensure_ascii=False), encoding="utf-8")
    (d / "gone.txt").symlink_to(d / "deleted.txt")
    (d / ".git" / "objects").mkdir(parents=True)  # hidden folders are not walked, nor listed
    (d / ".git" / "objects" / "ab12").write_bytes(b"x\x01" + bytes(range(256)))
    (d / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(64))
    return d


def test_directory_walk_takes_web_pages_and_report_texts_by_content(web_dir):
    from gazette_nlp.inputs import walk_inputs

    found = walk_inputs([str(web_dir)])
    names = sorted(os.path.relpath(p, web_dir) for p in found.paths)
    assert names == ["report.htm", "report.jhtml", "report.jsp", "report.shtml", "sub/report_no_extension"]
    reasons = {os.path.basename(s.path): s.reason for s in found.skipped}
    assert set(reasons) == {"notes.xlsx", "server.log", "gone.txt", "earlier_run.jsonl"}
    assert reasons["earlier_run.jsonl"].startswith("JSON data")
    assert reasons["gone.txt"] == "dangling link" and "binary" in reasons["notes.xlsx"]


@pytest.mark.parametrize("suffix", [".shtml", ".jhtml", ".jsp", ".aspx"])
def test_server_page_extensions_are_web_pages_whatever_their_first_tag(suffix):
    from gazette_nlp.readers.route import sniff

    assert sniff(b"<div class='main'><p>\xe5\xb9\xb4\xe5\xba\xa6</p></div>", suffix) == "html"
    assert sniff(b"<div class='main'>", ".txt") == "text"


def test_skipped_files_are_listed_in_the_summary_and_pages_parse(web_dir, tmp_path, capsys):
    out = tmp_path / "site.jsonl"
    assert main(["parse", str(web_dir), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    recs = {os.path.basename(r["source"]): r for r in records(out)}
    assert recs["report.shtml"]["meta"]["status"] == "ok" and recs["report.shtml"]["meta"]["input"] == "html"
    assert len(recs["report.jsp"]["cells"]) == 200
    summary = captured.out.strip().splitlines()[-1]
    assert "4 skipped" in summary and "gone.txt (dangling link)" in summary and "server.log" in summary


# ---------------------------------------------------------------- charsets
def test_big5_text_is_decoded_as_big5_and_parses(tmp_path):
    from opencc import OpenCC

    from gazette_nlp.pipeline import parse

    traditional = OpenCC("s2tw").convert(S002.read_text(encoding="utf-8"))
    f = tmp_path / "big5.txt"
    f.write_bytes(traditional.encode("big5"))
    report = parse(f)
    assert report.meta["encoding"] == "big5" and report.meta["status"] == "ok"
    assert [ln.text for ln in report.lines] == traditional.splitlines()
    base = parse(S002)
    assert {k: c.value for k, c in report.cells.items()} == {k: c.value for k, c in base.cells.items()}


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_a_chinese_text_cut_in_its_last_character_keeps_the_rest(encoding):
    from opencc import OpenCC

    from gazette_nlp.readers.text import decode_bytes

    text = S002.read_text(encoding="utf-8")
    text = OpenCC("s2tw").convert(text) if encoding == "big5" else text
    decoded, enc = decode_bytes(text.encode(encoding)[:-1])
    assert enc == f"{encoding} (truncated)" and text.startswith(decoded) and len(decoded) == len(text) - 1


def test_big5_web_page_without_a_declared_charset_is_decoded_as_big5():
    pytest.importorskip("lxml")
    from opencc import OpenCC

    from gazette_nlp.readers.html import decode_html

    text = OpenCC("s2tw").convert(S003.read_text(encoding="utf-8"))
    page = f"<html><body><pre>{text}</pre></body></html>"
    decoded, enc = decode_html(page.encode("big5"))
    assert enc == "big5" and decoded == page


# ---------------------------------------------------------------- evaluate
def test_evaluate_with_no_matching_record_is_a_named_error(tmp_path, capsys):
    from gazette_nlp.annotate import annotation_draft
    from gazette_nlp.pipeline import parse

    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / f"{S002.stem}.json").write_text(json.dumps(annotation_draft(parse(S002)), ensure_ascii=False),
                                            encoding="utf-8")
    record = parse(S002).to_json()
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({**record, "source": "elsewhere/other_report.txt"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--pred", str(wrong)]) == 2
    err = capsys.readouterr().err
    assert "NoMatchingRecordsError" in err and S002.name in err and "other_report.txt" in err
    right = tmp_path / "right.jsonl"
    right.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--pred", str(right)]) == 0
    assert "cell_accuracy: 1.0" in capsys.readouterr().out


# ---------------------------------------------------------------- what stderr and stdout say
@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("mixed")
    shutil.copy(S004, d / "a_good.txt")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_english.txt").write_text("Minutes of the parks committee.\n", encoding="utf-8")
    return d


def test_one_stderr_line_per_failed_file_and_one_summary(bad_dir, tmp_path, capsys):
    assert main(["parse", str(bad_dir), "--out", str(tmp_path / "o.jsonl")]) == 1
    captured = capsys.readouterr()
    err = err_lines(captured)
    assert len(err) == 3, err
    assert "b_empty.txt: EmptyInputError" in err[0] and "c_english.txt: NotAReportError" in err[1]
    assert err[2].startswith("3 files in ") and "2 of 3 files failed" in err[2]
    assert captured.out.strip().splitlines() == [captured.out.strip().splitlines()[0]]  # the good report's line
    assert "a_good.txt: " in captured.out


def test_a_single_bad_file_is_one_line(bad_dir, capsys):
    assert main(["parse", str(bad_dir / "b_empty.txt")]) == 2
    err = err_lines(capsys.readouterr())
    assert len(err) == 1 and "EmptyInputError" in err[0]


def test_closing_summary_on_success(tmp_path, capsys):
    assert main(["parse", str(SAMPLES), "--out", str(tmp_path / "s.jsonl")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("5 files in ") and ": 5 parsed;" in last
    assert "939 cells read (5 printed blank), 56 absent" in last and "1 missing_rows" in last


def test_per_report_line_says_cells_read_absent_and_unknowns():
    from gazette_nlp.batch import summary_line
    from gazette_nlp.pipeline import parse

    report = parse(S004)
    line = summary_line(report)
    assert "144 cells read, 56 absent (rows missing)" in line and " 1 issue," in line
    report.meta["issuer"] = report.meta["year"] = None
    assert summary_line(report).endswith("issuer unknown, year unknown")


def test_loading_message_comes_before_the_models_load(capsys, monkeypatch):
    import sys

    import gazette_nlp.pipeline as pipeline
    from gazette_nlp.errors import ModelError

    def failing_load():
        print("LOADING NOW", file=sys.stderr)
        raise ModelError("no models here")

    monkeypatch.setattr(pipeline, "default_pipeline", failing_load)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["parse", str(S002), str(S003)]) == 3
    err = capsys.readouterr().err
    assert err.index("loading the models") < err.index("LOADING NOW") < err.index("ModelError")


# ---------------------------------------------------------------- a bug keeps its traceback
def test_a_bug_keeps_its_traceback_in_the_record_and_the_panel_log(tmp_path, capsys, monkeypatch):
    import gazette_nlp.pipeline as pipeline

    def broken(report):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(pipeline, "restore_printed_lines", broken)
    out = tmp_path / "bug.jsonl"
    assert main(["parse", str(S002), str(S004), "--out", str(out)]) == 1
    rec = records(out)[0]
    assert rec["meta"]["error"] == "ZeroDivisionError"
    assert "Traceback" in rec["meta"]["traceback"] and "in broken" in rec["meta"]["traceback"]
    assert "meta.traceback" in capsys.readouterr().err
    panel = tmp_path / "bug.csv"
    assert main(["parse", str(S002), str(S004), "--out", str(panel)]) == 1
    log = tmp_path / "bug.csv.errors.log"
    assert "in broken" in log.read_text(encoding="utf-8") and str(log) in capsys.readouterr().err


# ---------------------------------------------------------------- typed panels and the long format
@pytest.fixture(scope="module")
def csv_panels(tmp_path_factory):
    d = tmp_path_factory.mktemp("panels")
    assert main(["parse", "-q", str(SAMPLES), "--out", str(d / "wide.csv")]) == 0
    assert main(["parse", "-q", str(SAMPLES), "--out", str(d / "long.csv"), "--cells-long"]) == 0
    return d


def test_csv_panel_writes_counts_as_integers(csv_panels):
    import csv

    rows = {os.path.basename(r["source"]): r for r in csv.DictReader(open(csv_panels / "wide.csv", encoding="utf-8"))}
    r2, r3, r4 = rows[S002.name], rows[S003.name], rows[S004.name]
    assert r2["t3.new.total"] == "36" and r2["year"] == "2024" and r2["t2.fees.amount"] == "2561.768"
    assert r3["t4.review.total"] == "" and r3["cells_blank"] == "5"  # printed blank
    assert r4["cells_absent"] == "56"
    assert not any(v.endswith(".0") for r in rows.values() for k, v in r.items() if k != "t2.fees.amount")


def test_cells_long_keeps_every_cell_with_its_status(csv_panels):
    import csv

    rows = list(csv.DictReader(open(csv_panels / "long.csv", encoding="utf-8")))
    assert len(rows) == 5 * len(CELL_IDS)
    by = {(os.path.basename(r["source"]), r["cell"]): r for r in rows}
    assert by[(S002.name, "t3.new.total")]["value"] == "36" and by[(S002.name, "t3.new.total")]["status"] == "read"
    assert by[(S003.name, "t4.review.total")]["status"] == "blank" and by[(S003.name, "t4.review.total")]["value"] == ""
    statuses = {}
    for r in rows:
        statuses.setdefault(os.path.basename(r["source"]), []).append(r["status"])
    assert statuses[S004.name].count("absent") == 56 and statuses[S003.name].count("blank") == 5
    assert sum(s.count("inferred") for s in statuses.values()) >= 1
    assert all(r["line"].isdigit() and float(r["confidence"]) > 0 for r in rows if r["status"] == "read")


def test_parquet_panels_have_nullable_integer_columns(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    assert main(["parse", "-q", str(SAMPLES), "--out", str(tmp_path / "wide.parquet")]) == 0
    schema = pq.read_schema(tmp_path / "wide.parquet")
    assert schema.field("t3.new.total").type == pa.int64() and schema.field("year").type == pa.int64()
    assert schema.field("t2.fees.amount").type == pa.float64()
    assert main(["parse", "-q", str(SAMPLES), "--out", str(tmp_path / "long.parquet"), "--cells-long"]) == 0
    frame = pq.read_table(tmp_path / "long.parquet").to_pandas()
    assert len(frame) == 5 * len(CELL_IDS) and set(frame["status"]) == {"read", "inferred", "blank", "absent"}


# ---------------------------------------------------------------- lines keep page and OCR confidence
def test_pdf_lines_keep_their_page_in_the_json():
    pytest.importorskip("pdfplumber")
    from gazette_nlp.readers.route import read_any

    pdf = SAMPLES.parent / "tests" / "fixtures" / "office" / "002_42101ead988e0218_s74.pdf"
    lines = read_any(pdf).to_json()["lines"]
    pages = [ln["page"] for ln in lines]
    assert pages[0] == 1 and max(pages) >= 2 and pages == sorted(pages)


def test_ocr_lines_keep_their_confidence_in_the_json():
    from gazette_nlp.readers.lines import RawLine, report_from_lines

    report = report_from_lines([RawLine("一、总体情况", 1, 0.91234), RawLine("规章 0 1", 2, None)], "scan", "pdf-ocr")
    lines = report.to_json()["lines"]
    assert lines[0] == {"n": 1, "text": "一、总体情况", "label": None, "page": 1, "ocr_confidence": 0.9123}
    assert "ocr_confidence" not in lines[1] and lines[1]["page"] == 2


# ---------------------------------------------------------------- a Dask cluster closes cleanly
def test_dask_run_closes_its_cluster_without_killing_workers(tmp_path):
    pytest.importorskip("distributed")
    import subprocess
    import sys

    from conftest import REPO

    out = tmp_path / "dask.jsonl"
    res = subprocess.run([sys.executable, "-m", "gazette_nlp", "parse", str(S002), str(S004), "--out", str(out), "-q",
                          "--engine", "dask", "-w", "1"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0 and len(records(out)) == 2
    assert "still alive" not in res.stderr and "WARNING" not in res.stderr, res.stderr
