"""A quick look at how the PDF readers do on the office PDFs (not a test: the project's PDF reader is being rewritten).

    python -m training.office.quick_check tests/fixtures/office/ [--lines 40] [--no-parse]

Per PDF: whether pdfplumber's own `extract_text()` shows the two title lines and the table-三 row labels un-garbled
(the reference a reader must match; a label wrapped in its narrow cell counts when its pieces come whole and in
order), then `gazette_nlp.parse` on the PDF scored against the expected cells of
`NAME.json`, and the first lines of `gazette_nlp.readers.route.read_any` next to `extract_text()`'s, to see garbling.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from gazette_nlp.template import T3_ROWS

T3_LABELS = ["申请人情况", "法人或其他组织"] + [r.label for r in T3_ROWS] + ["三、本年度办理结果"]


def _sq(text: str) -> str:
    return re.sub(r"\s+", "", text)


def label_shown(label: str, lines: list[str], window: int = 30) -> str:
    """'line' if the label is whole on one line of the text; 'fragments' if it is cut into whole tokens that come in
    order over the following lines (a label wrapped in its narrow cell: `2.其他法律行政法规` … `禁止公开`, or a
    vertical label one character a line), with other cells' tokens between them; '' if neither (garbled, lost)."""
    want = _sq(label)
    if any(want in _sq(l) for l in lines):
        return "line"
    tokens = [(i, t) for i, l in enumerate(lines) for t in l.split()]
    for k, (i0, tok) in enumerate(tokens):
        if not want.startswith(tok):
            continue
        rest = want[len(tok):]
        for i, t in tokens[k + 1:]:
            if not rest or i - i0 > window:
                break
            if rest.startswith(t):
                rest = rest[len(t):]
        if not rest:
            return "fragments"
    return ""


def extract_text_check(pdf_path: Path, rec: dict) -> dict:
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    lines = [l.strip() for l in "\n".join(pages).splitlines()]
    title = [rec["issuer"], f"{rec['year']}年政府信息公开工作年度报告"]
    title_ok = [any(_sq(l) == t for l in lines[:4]) for t in title]
    shown = {lab: label_shown(lab, lines) for lab in T3_LABELS}
    return {"title_lines": lines[:2], "title_ok": title_ok, "t3_labels": len(T3_LABELS),
            "t3_labels_on_a_line": sum(v == "line" for v in shown.values()),
            "t3_labels_in_fragments": sum(v == "fragments" for v in shown.values()),
            "t3_labels_garbled_or_lost": [lab for lab, v in shown.items() if not v]}


def parse_score(pdf_path: Path, expected: dict) -> dict:
    import gazette_nlp
    from gazette_nlp.cells.numbers import same_value

    rep = gazette_nlp.parse(str(pdf_path))
    got = {cid: c.value for cid, c in rep.cells.items()}
    right = sum(cid in got and same_value(got[cid], v) for cid, v in expected.items())
    wrong = [cid for cid, v in expected.items() if cid in got and not same_value(got[cid], v)]
    return {"cells_right": right, "of": len(expected), "wrong": len(wrong),
            "absent": sum(cid not in got for cid in expected), "issuer": rep.meta.get("issuer"),
            "year": rep.meta.get("year"), "paragraphs": len(rep.paragraphs),
            "themed": sum(bool(p.themes) for p in rep.paragraphs)}


def reader_lines(pdf_path: Path, n: int) -> list[str]:
    from gazette_nlp.readers.route import read_any

    return [l.text for l in read_any(str(pdf_path)).lines[:n]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.office.quick_check", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", help="PDFs or folders of them (each with NAME.json)")
    ap.add_argument("--lines", type=int, default=0, help="print the reader's first N lines")
    ap.add_argument("--no-parse", action="store_true", help="skip gazette_nlp.parse")
    args = ap.parse_args(argv)
    pdfs: list[Path] = []
    for a in args.paths:
        p = Path(a)
        pdfs += sorted(p.glob("*.pdf")) if p.is_dir() else [p]
    for pdf in pdfs:
        rec = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        out = {"pdf": pdf.name, "font": rec.get("font"), "extract_text": extract_text_check(pdf, rec)}
        if not args.no_parse:
            try:
                out["parse"] = parse_score(pdf, rec["cells"])
            except Exception as exc:  # the reader is being rewritten: report, do not stop
                out["parse"] = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out, ensure_ascii=False))
        if args.lines:
            for line in reader_lines(pdf, args.lines):
                print("   |", line)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
