"""Robust text input: encodings, line ends, normalisation, and named errors for bad input."""
import codecs

import pytest
from opencc import OpenCC

from gazette_nlp.errors import BinaryInputError, DecodeError, EmptyInputError, NotAReportError
from gazette_nlp.readers.text import decode_bytes, read_path, report_from_text
from gazette_nlp.textnorm import normalise, squash

TEXT = "下冶镇人民政府2021年政府信息公开工作年度报告\n一、总体情况\n规章\t０\t1\t2\n"


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""), ("gbk", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_encodings_decode_to_the_same_text(encoding, prefix):
    text, _ = decode_bytes(prefix + TEXT.encode(encoding))
    assert text == TEXT


def test_shared_report_in_gb18030_and_utf16_reads_identically(tmp_path, sample_texts):
    original = sample_texts["003_cc5777ecc468ec6c"]
    for enc, bom in (("gb18030", b""), ("utf-16-le", codecs.BOM_UTF16_LE)):
        f = tmp_path / f"r-{enc}.txt"
        f.write_bytes(bom + original.encode(enc))
        assert [l.text for l in read_path(f).lines] == original.splitlines()


@pytest.mark.parametrize("sep", ["\r\n", "\r", "\n"])
def test_line_ends_keep_numbering(sep):
    report = report_from_text(sep.join(["a", "", "b"]))
    assert [(l.n, l.text) for l in report.lines] == [(1, "a"), (2, ""), (3, "b")]


def test_normalisation_never_touches_the_printed_text():
    raw = "## **（一）予以公开**\u00a0&nbsp;<b>１２</b>\u200b"
    report = report_from_text(raw)
    assert report.lines[0].text == raw
    assert " ".join(report.lines[0].norm.split()) == "(一)予以公开 12"
    assert squash("（一） 予以 公开") == "一予以公开"


def test_traditional_characters_are_simplified_internally_only():
    raw = OpenCC("s2t").convert("政府信息公开工作年度报告")
    line = report_from_text(raw).lines[0]
    assert line.text == raw and line.norm == "政府信息公开工作年度报告"


def test_fullwidth_spaces_and_digits_normalise():
    assert normalise("本年制发件数\u3000１２３") == "本年制发件数 123"


@pytest.mark.parametrize("data,error", [
    (b"", EmptyInputError),
    (b"  \n\t\r\n", EmptyInputError),
    (bytes(range(256)) * 20, BinaryInputError),
    (b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 300, BinaryInputError),
    (b"\xff\xff\xfe\x80\x81" * 50, DecodeError),
])
def test_bad_bytes_raise_named_errors(data, error):
    with pytest.raises(error):
        decode_bytes(data)


def test_truncated_utf8_keeps_the_whole_characters(sample_texts):
    data = sample_texts["004_4d52fde21a8cca17"].encode("utf-8")
    cut = data[: len(data) - 2]  # in the middle of the last character
    text, enc = decode_bytes(cut)
    assert enc.startswith("utf-8") and sample_texts["004_4d52fde21a8cca17"].startswith(text)


def test_missing_and_unreadable_files_raise_input_errors(tmp_path):
    from gazette_nlp.errors import InputError

    with pytest.raises(InputError):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError):
        read_path(tmp_path)


def test_non_report_text_is_recognised():
    from gazette_nlp.pipeline import check_is_report

    with pytest.raises(NotAReportError):
        check_is_report(report_from_text("The quick brown fox.\nJumps over the lazy dog.\n"))
    with pytest.raises(NotAReportError):
        check_is_report(report_from_text("今天天气很好，我们去公园散步。\n晚上吃饺子。"))
