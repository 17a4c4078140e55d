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


def _ruled_table(fade_rows: set[int], gone_rows: set[int]):
    """A synthetic grey page with a 7-row, 5-column ruled table and a 0 in every value cell: in `fade_rows` every
    inner vertical rule printed a light grey (a stretch of weak toner), in `gone_rows` not printed at all. Returns
    the page, the rules' x and the rows' y."""
    import cv2

    page = np.full((400, 700), 238, np.uint8)
    xs, ys = [50, 250, 350, 450, 550, 650], [60 + 32 * i for i in range(8)]
    for y in ys:
        page[y:y + 2, xs[0]:xs[-1] + 2] = 60
    for r, (y0, y1) in enumerate(zip(ys, ys[1:])):
        grey = 238 if r in gone_rows else 212 if r in fade_rows else 60
        for x in xs:
            page[y0:y1, x:x + 2] = 60 if x in (xs[0], xs[-1]) else grey
        cv2.putText(page, f"row{r}", (60, y1 - 9), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 40, 2)
        for x0, x1 in zip(xs[1:], xs[2:]):
            cv2.putText(page, "0", ((x0 + x1) // 2 - 6, y1 - 9), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 40, 2)
    noise = np.random.default_rng(0).normal(0, 3, page.shape)
    return np.clip(page + noise, 0, 255).astype(np.uint8), xs, ys


def _layout(page):
    import cv2
    from gazette_nlp.readers.scan_layout import RULE_INK, find_rules, flatten, table_rows

    gray = flatten(page)
    ink = (cv2.medianBlur(gray, 3) < RULE_INK).astype(np.uint8) * 255
    horiz, vert = find_rules(ink)
    return gray, ink, table_rows(gray, ink, horiz, vert)[0]


def test_rules_faded_over_several_rows_are_found_from_the_tables_other_rows():
    # the class the scans lost most rows to: all vertical rules faint over rows 2-4, lighter than any fixed ink
    # level; those rows were dropped (fewer than two rules), now each has its six rules again
    page, xs, ys = _ruled_table(fade_rows={2, 3, 4}, gone_rows=set())
    _, _, rows = _layout(page)
    assert [y0 for y0, _, _ in rows] == pytest.approx(ys[:-1], abs=2)
    for _, _, cells in rows:
        bounds = [cells[0][0]] + [b for _, b in cells]
        assert bounds == pytest.approx(xs, abs=3)


def test_a_row_whose_rules_are_gone_is_cut_at_the_tables_columns_through_blank_paper_only():
    from gazette_nlp.readers.scan_layout import grid_boxes, row_grid

    page, xs, ys = _ruled_table(fade_rows=set(), gone_rows={3})
    gray, ink, rows = _layout(page)
    mask = gray < 190
    r3 = [i for i, (y0, _, _) in enumerate(rows) if abs(y0 - ys[3]) <= 2]
    assert len(r3) == 1 and len(rows[r3[0]][2]) == 1  # the table's border only
    y0, y1, [(x0, x1)] = rows[r3[0]]
    boxes = grid_boxes(mask, y0 + 3, y1 - 2, x0 + 3, x1 - 2, row_grid(rows, r3[0]))
    assert len(boxes) == len(xs) - 1  # label, then one box per value column
    # a merged cell whose wide number stands on a column boundary is not cut through the number
    wide = mask.copy()
    wide[y0 + 10:y1 - 8, xs[2] - 30:xs[2] + 30] = True
    cut = grid_boxes(wide, y0 + 3, y1 - 2, x0 + 3, x1 - 2, row_grid(rows, r3[0]))
    assert all(not (a < xs[2] < b - 1) or (a < xs[2] - 30 and b > xs[2] + 30) for a, b in cut)
    assert len(cut) == len(xs) - 2


def test_a_split_cell_keeps_its_pieces_only_when_they_read_as_values():
    from gazette_nlp.readers.ocr import _values_split

    assert _values_split(["0", "0", "12"])
    assert _values_split(["8.属于行政查询事项", "1", "0"])  # the rule after the label faded too
    assert not _values_split(["7.1", "于行政执法案卷"])  # a label cut at a faded glyph
    assert not _values_split(["0", "0I0"])


def test_a_value_cut_by_ocr_from_a_separatorless_run_is_not_confident():
    """A scanned table-二 row whose rules were lost reads `规章211` (printed 2 | 1 | 11: a digit dropped at a faded
    rule). The only split gives 2, 1, 1 and no identity binds table 二, so none of them may be confident; the same
    text that was not OCR'd keeps its confidence."""
    from gazette_nlp.pipeline import Pipeline
    from gazette_nlp.readers.text import report_from_text

    text = ("政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
            "规章211\n行政规范性文件\t0\t3\t0\n三、收到和处理政府信息公开申请情况\n")
    pipe = Pipeline(stages=["classify_lines", "segment_sections", "align_cells"])
    plain = pipe(report_from_text(text))
    scanned = report_from_text(text)
    for ln in scanned.lines:
        ln.ocr_confidence = 0.97
    scanned = pipe(scanned)
    rules = [f"t2.rules.{c}" for c in ("issued", "repealed", "in_force")]
    assert [scanned.cells[c].value for c in rules] == [2, 1, 1]
    assert all(scanned.cells[c].confidence < 0.9 for c in rules)
    assert any(set(rules) <= set(i.cells) and "without separators" in i.message for i in scanned.issues)
    assert plain.cells["t2.normative_docs.repealed"].confidence >= 0.9
    assert scanned.cells["t2.normative_docs.repealed"].confidence >= 0.9  # printed with separators: unaffected
