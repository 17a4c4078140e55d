"""PDF text layer: fixture PDFs rendered from the shared reports (real ruled tables) read back to the same cells."""
import json

import pytest

from conftest import GOLD, REPO
from gazette_nlp.errors import DamagedPdfError, EmptyInputError, EncryptedPdfError, InputError

pytest.importorskip("pdfplumber")
from gazette_nlp.readers.pdf import read_pdf  # noqa: E402

FIX = REPO / "tests" / "fixtures" / "readers"
IDS = ["002_42101ead988e0218", "004_4d52fde21a8cca17"]


def cell_accuracy(report, gold: dict) -> float:
    ok = sum(1 for cid, v in gold["cells"].items() if cid in report.cells and report.cells[cid].value == v)
    return ok / len(gold["cells"])


@pytest.mark.parametrize("rid", IDS)
def test_pdf_cells_as_from_text(rid):
    import gazette_nlp

    gold = json.loads((GOLD / f"{rid}.json").read_text(encoding="utf-8"))
    report = gazette_nlp.parse(FIX / f"{rid}.pdf")
    assert report.meta["input"] == "pdf-text"
    assert cell_accuracy(report, gold) == 1.0


def test_table_rows_rebuilt_with_empty_cells_and_pages(sample_texts):
    report = read_pdf((FIX / "002_42101ead988e0218.pdf").read_bytes(), "x.pdf")
    text_rows = {l for l in sample_texts["002_42101ead988e0218"].splitlines() if "\t" in l}
    pdf_rows = [l.text for l in report.lines if "\t" in l.text]
    # every table row comes back field for field, empty fields included (cell text stripped)
    norm = lambda s: "\t".join(f.strip() for f in s.split("\t"))
    assert {norm(r) for r in pdf_rows} == {norm(r) for r in text_rows}
    assert "第二十条第（一）项\t\t\t" in pdf_rows
    assert report.meta["pages"] == 3 and {l.page for l in report.lines} == {1, 2, 3}
    assert any(l.text.strip() == "- 2 -" and l.page == 2 for l in report.lines)  # page furniture kept as a line


@pytest.mark.parametrize("name,error", [
    ("bad-encrypted.pdf", EncryptedPdfError),
    ("bad-damaged.pdf", DamagedPdfError),
    ("bad-empty.pdf", EmptyInputError),
])
def test_bad_pdfs_raise_named_errors(name, error):
    with pytest.raises(error) as e:
        read_pdf((FIX / name).read_bytes(), name)
    assert isinstance(e.value, InputError) and "\n" not in str(e.value)


def test_cli_names_the_pdf_error(tmp_path, capsys):
    from gazette_nlp.cli import main

    code = main(["parse", str(FIX / "bad-encrypted.pdf")])
    err = capsys.readouterr().err
    assert code != 0 and "encrypted" in err and "Traceback" not in err


def _grid_pdf(rounded: bool) -> bytes:
    import io

    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "Annual report 2024")
    if rounded:
        c.roundRect(40, 600, 300, 150, 8)  # a Bézier frame: the page goes to pdfplumber's table finder
    for i, row in enumerate([("rules", "0", "1"), ("normative documents", "2", "")]):
        y = 720 - i * 30
        for x, w, text in zip((50, 170, 230), (120, 60, 60), row):
            c.rect(x, y, w, 30)
            c.drawString(x + 5, y + 10, text)
    c.drawString(50, 500, "left")
    c.drawString(300, 500, "far right")  # an unruled gap of many font sizes: a tab
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("rounded", [False, True])
def test_ruled_rows_both_engines(rounded):
    lines = [l.text for l in read_pdf(_grid_pdf(rounded)).lines if l.text]
    assert lines == ["Annual report 2024", "rules\t0\t1", "normative documents\t2\t", "left\tfar right"]


def test_unruled_table_columns_from_the_header():
    import io

    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Helvetica", 10)
    rows = [("item", "issued", "repealed", "in force"), ("rules", "0", "", "1"), ("documents", "", "2", "")]
    for i, row in enumerate(rows):
        for x, text in zip((50, 200, 300, 400), row):
            c.drawString(x, 700 - 15 * i, text)
    c.save()
    lines = [l.text for l in read_pdf(buf.getvalue()).lines if l.text]
    assert lines == ["item\tissued\trepealed\tin force", "rules\t0\t\t1", "documents\t\t2\t"]


def test_two_lines_are_never_interleaved_whatever_the_font_metrics_say():
    """Issue 13: a two-line 22 pt title 28 pt apart came out as one line of interleaved characters from a real
    CJK font whose reported size (and boxes) exceed the line pitch. Lines follow the glyphs' own ink heights,
    and a group whose characters overlap horizontally is split by baseline."""
    from gazette_nlp.readers.pdf import _by_baseline
    from gazette_nlp.readers.pdf_layout import Char

    issuer, title = "安信市人民政府", "2024年政府信息公开工作年度报告"
    for ink in (19.0, 0.0):  # with and without the glyph's own box
        chars = [Char(ch, 200 + 22 * i, 222 + 22 * i, 80, 102, 100, 100, ink) for i, ch in enumerate(issuer)]
        chars += [Char(ch, 150 + 22 * i, 172 + 22 * i, 108, 130, 128, 100, ink) for i, ch in enumerate(title)]
        lines = ["".join(c.text for c in sorted(ln, key=lambda c: c.x0)) for ln in _by_baseline(chars)]
        assert lines == [issuer, title]
    # one line stays one line: characters on one baseline never overlap and are not split
    one = [Char(ch, 10 * i, 10 * i + 9, 0, 10, 9, 10, 8) for i, ch in enumerate("行政许可")]
    assert len(_by_baseline(one)) == 1
