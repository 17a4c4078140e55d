"""Scans through OCR (rapidocr, the models inside its wheel): rows and cells rebuilt from the page's rules,
confidence on every OCR line, and the cells of a scanned report read (≥ 0.98, every wrong cell flagged)."""
import json

import pytest

from conftest import GOLD, REPO

pytest.importorskip("rapidocr")
pytest.importorskip("onnxruntime")
pytest.importorskip("pypdfium2")

FIX = REPO / "tests" / "fixtures" / "readers"
RID = "004_4d52fde21a8cca17"


@pytest.fixture(scope="module")
def png_report():
    from gazette_nlp.readers.route import read_any

    return read_any(FIX / "002_42101ead988e0218.p1.png")


def test_png_page_lines_with_confidence(png_report, sample_texts):
    assert png_report.meta["input"] == "image-ocr"
    text_lines = [l for l in png_report.lines if l.text.strip()]
    assert text_lines and all(l.page == 1 and 0 < l.ocr_confidence <= 1 for l in text_lines)
    rows = [l.text for l in text_lines if "\t" in l.text]
    # the ruled rows come back field for field, the printed-blank cells as empty fields
    assert "规章\t0\t0\t0" in rows and "行政规范性文件\t3\t10\t31" in rows
    assert "行政许可\t74833\t\t" in rows


def test_scanned_pdf_cells(tmp_path):
    import gazette_nlp

    gold = json.loads((GOLD / f"{RID}.json").read_text(encoding="utf-8"))
    report = gazette_nlp.parse(FIX / f"{RID}.scan.pdf")
    assert report.meta["input"] == "pdf-ocr" and report.meta["ocr_pages"]
    conf = {l.n: l.ocr_confidence for l in report.lines}
    named = {c for i in report.issues for c in i.cells}
    wrong = [cid for cid, v in gold["cells"].items()
             if cid not in report.cells or report.cells[cid].value != v]
    assert 1 - len(wrong) / len(gold["cells"]) >= 0.98
    for cid in wrong:  # every wrong cell is flagged: low confidence, an issue, or its OCR line's low score
        c = report.cells.get(cid)
        assert c is None or c.confidence < 0.9 or cid in named or (conf.get(c.line) or 1) < 0.9, cid


def test_undecodable_image_is_a_named_error():
    from gazette_nlp.errors import OcrError
    from gazette_nlp.readers.ocr import read_image

    with pytest.raises(OcrError):
        read_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


def test_multipage_tiff_and_jpeg_route_to_ocr(tmp_path):
    from PIL import Image

    from gazette_nlp.readers.route import read_any

    page = Image.open(FIX / "002_42101ead988e0218.p1.png")
    table = page.crop((0, 1150, page.width, 1420))  # the first rows of table 2
    tiff = tmp_path / "scan.dat"  # no telling extension: the TIFF signature routes it
    table.save(tiff, format="TIFF", save_all=True, append_images=[table])
    report = read_any(tiff)
    assert report.meta["input"] == "image-ocr" and report.meta["ocr_pages"] == [1, 2]
    rows = [(l.page, l.text) for l in report.lines if l.text.startswith("规章")]
    assert rows == [(1, "规章\t0\t0\t0"), (2, "规章\t0\t0\t0")]
    jpeg = tmp_path / "scan.jpg"
    table.convert("RGB").save(jpeg, quality=80)
    assert "规章\t0\t0\t0" in [l.text for l in read_any(jpeg).lines]


def test_unruled_scan_columns_from_the_header():
    from gazette_nlp.readers.route import read_any

    report = read_any(FIX / "unruled-table.png")
    rows = [l.text for l in report.lines if "\t" in l.text]
    assert rows == ["信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t\t1", "行政规范性文件\t\t2\t"]
