"""PDFs made the way publishers make them (a Word document exported by LibreOffice with real CJK fonts; see
tests/fixtures/office/README.md): the PDF route reads every cell the report prints, and its text agrees with
pdfplumber's own `extract_text` (no two lines interleaved, no title or row label garbled)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import gazette_nlp
from gazette_nlp.textnorm import to_simplified

pytest.importorskip("pdfplumber")
FIXTURES = sorted((Path(__file__).parent / "fixtures" / "office").glob("*.pdf"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("pdf", FIXTURES, ids=lambda p: p.stem)
def test_office_pdf_cells_equal_the_report(pdf):
    gold = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    report = gazette_nlp.parse(pdf)
    assert report.meta["input"] == "pdf-text"
    wrong = {c: (v, report.cells[c].value if c in report.cells else "absent") for c, v in gold["cells"].items()
             if c not in report.cells or report.cells[c].value != v}
    assert wrong == {}
    # the issuer is given in simplified characters (郟县 → 郏县), as every name the project writes
    assert (report.meta["issuer"], report.meta["year"]) == (to_simplified(gold["issuer"]), gold["year"])


@pytest.mark.parametrize("pdf", FIXTURES, ids=lambda p: p.stem)
def test_office_pdf_text_agrees_with_pdfplumber(pdf):
    import pdfplumber

    ours = _squash("".join(ln.text for ln in gazette_nlp.parse(pdf).lines))
    with pdfplumber.open(pdf) as doc:
        theirs = [ln for page in doc.pages for ln in (page.extract_text() or "").splitlines()]
    prose = [_squash(ln) for ln in theirs if len(_squash(ln)) >= 12 and "。" in ln or "年度报告" in ln]
    assert prose and all(p in ours for p in prose), [p for p in prose if p not in ours][:3]
