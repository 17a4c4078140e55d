"""Routing by content: magic bytes decide the reader, the extension only breaks ties; meta.input says how."""
import shutil

import pytest

from conftest import REPO
from gazette_nlp.errors import InputError, MissingDependencyError
from gazette_nlp.readers.route import read_any, sniff

FIX = REPO / "tests" / "fixtures" / "readers"


@pytest.mark.parametrize("data,kind", [
    (b"%PDF-1.7\n...", "pdf"),
    (b"\r\njunk%PDF-1.4\n", "pdf"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
    (b"II*\x00\x08\x00", "tiff"),
    (b"MM\x00*\x00\x08", "tiff"),
    (b"\xef\xbb\xbf  <!DOCTYPE html><html>", "html"),
    (b"<HTML><head><meta charset=gbk>", "html"),
    (b"<!-- saved page --><html>", "html"),
    ("下冶镇人民政府2021年政府信息公开工作年度报告".encode(), "text"),
    (b"<b>not a page</b>", "text"),
])
def test_sniff_by_magic_bytes(data, kind):
    assert sniff(data) == kind


def test_extension_breaks_ties_only():
    assert sniff(b"<div>x</div>", ".html") == "html"
    assert sniff(b"%PDF-1.4", ".html") == "pdf"


def test_text_files_still_read_as_text(sample_texts):
    report = read_any(REPO / "samples" / "002_42101ead988e0218.txt")
    assert report.meta["input"] == "text"
    assert [l.text for l in report.lines] == sample_texts["002_42101ead988e0218"].splitlines()


def test_wrong_extensions_are_routed_by_content(tmp_path):
    pytest.importorskip("pdfplumber")
    pytest.importorskip("lxml")
    pdf_as_txt = tmp_path / "report.txt"
    shutil.copy(FIX / "004_4d52fde21a8cca17.pdf", pdf_as_txt)
    html_as_pdf = tmp_path / "report.pdf"
    shutil.copy(FIX / "004_4d52fde21a8cca17.html", html_as_pdf)
    assert read_any(pdf_as_txt).meta["input"] == "pdf-text"
    assert read_any(html_as_pdf).meta["input"] == "html"


@pytest.mark.parametrize("module,name,extra", [
    ("pdfplumber", "004_4d52fde21a8cca17.pdf", "pdf"),
    ("lxml", "004_4d52fde21a8cca17.html", "web"),
    ("rapidocr", "unruled-table.png", "ocr"),
])
def test_missing_extra_is_a_named_error(monkeypatch, module, name, extra):
    monkeypatch.setitem(__import__("sys").modules, module, None)
    with pytest.raises(MissingDependencyError, match=rf"gazette-nlp\[{extra}\]"):
        read_any(FIX / name)
    assert issubclass(MissingDependencyError, InputError)


def test_missing_extra_in_a_batch_is_an_error_record(monkeypatch):
    from gazette_nlp.pipeline import parse_safely

    monkeypatch.setitem(__import__("sys").modules, "pdfplumber", None)
    report = parse_safely(FIX / "004_4d52fde21a8cca17.pdf")
    assert report.meta["status"] == "error" and report.meta["error"] == "MissingDependencyError"
