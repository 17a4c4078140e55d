"""Scans made like real ones (training/scans/degrade.py) and the scan route on them (issue 13).

The fixture is an office-suite PDF (tests/fixtures/office/synth_101_s74.pdf: python-docx → LibreOffice, real CJK
fonts) whose table pages 2–3 were scanned at the `default` level: 150 dpi greyscale, skew under 1°, grey unevenly lit
paper, blur, noise, specks, JPEG 62, weak toner, some rules faded or broken.
"""
import json

import numpy as np
import pytest

from conftest import REPO

pytest.importorskip("rapidocr")
pytest.importorskip("pypdfium2")

OFFICE = REPO / "tests" / "fixtures" / "office"
SCAN = REPO / "tests" / "fixtures" / "scans" / "synth_101_s74.default.1.p2-3.pdf"


def test_degrader_is_seeded_and_levels_differ():
    from training.scans.degrade import degrade_pdf

    pdf = (OFFICE / "synth_101_s74.pdf").read_bytes()
    a, b = degrade_pdf(pdf, "default", 7, [2]), degrade_pdf(pdf, "default", 7, [2])
    assert a.jpeg_quality == b.jpeg_quality and np.array_equal(a.pages[0], b.pages[0])
    c = degrade_pdf(pdf, "default", 8, [2])
    assert not np.array_equal(a.pages[0], c.pages[0])
    light, heavy = degrade_pdf(pdf, "light", 7, [2]), degrade_pdf(pdf, "heavy", 7, [2])
    assert light.dpi == 300 and heavy.dpi == 150 and light.pages[0].shape[1] > 1.9 * heavy.pages[0].shape[1]
    # grey paper: the scan's background is darker than the rendered page's white, and not flat
    page = a.pages[0]
    assert 180 < np.median(page) < 245 and np.percentile(page, 90) - np.percentile(page, 50) > 2
    assert a.to_pdf()[:5] == b"%PDF-"


def test_scan_of_an_office_pdf_reads_its_cells():
    import gazette_nlp
    from gazette_nlp.cells.numbers import same_value

    gold = json.loads((OFFICE / "synth_101_s74.json").read_text(encoding="utf-8"))["cells"]
    report = gazette_nlp.parse(SCAN)
    assert report.meta["input"] == "pdf-ocr" and report.meta["ocr_pages"] == [1, 2]
    right = [cid for cid, v in gold.items() if cid in report.cells and same_value(report.cells[cid].value, v)]
    wrong = [cid for cid, v in gold.items() if cid in report.cells and not same_value(report.cells[cid].value, v)]
    assert len(right) / len(gold) >= 0.98
    # every wrong cell is visibly doubted
    assert all(report.cells[cid].confidence < 0.9 for cid in wrong), wrong
    # page furniture stays out of the table rows; the section headings survive the faded rules under them
    texts = [l.text for l in report.lines]
    assert not any("\t" in t and ("-2-" in t or "—2—" in t) for t in texts)
    assert any(t.startswith("二、主动公开政府信息情况") for t in texts)
    assert any(t.startswith("三、收到和处理政府信息公开") for t in texts)


def test_labels_whose_opening_bracket_is_lost():
    from gazette_nlp.cells.labels import label_depth, match_label

    assert match_label("七)总计").row == "t3.total" and label_depth("七）总计") == 2
    assert match_label("二）部分公开（区分处理的").row == "t3.partial"
    assert match_label("七年").row is None  # a numeral without its bracket is no numbering


def test_a_glyph_cut_into_bands_is_joined_but_wrapped_lines_are_not():
    from gazette_nlp.readers.scan_layout import join_fragments

    assert join_fragments([(0, 5), (7, 19)]) == [(0, 19)]  # the top bar of a 7 over its stem
    assert join_fragments([(0, 18), (23, 41)]) == [(0, 18), (23, 41)]  # two lines of a wrapped label
