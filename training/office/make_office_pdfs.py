"""Realistic report PDFs made the way publishers make them: an office document with real tables, exported to PDF by
an office suite (LibreOffice headless, real CJK fonts), each PDF with its expected cells beside it (issue 13).

    python -m training.office.make_office_pdfs --out DIR [--seed N] [--reports shared synth:4 gen:17:large …]

`--reports` items: `shared` (the five reports of ../shared/reports with their gold cells), `shared:ID` (those whose
name starts with ID, e.g. `shared:002`), `synth:N` (N generated reports, seeds drawn from --seed), `gen:SEED[:PROFILE]`
(one generated report, PROFILE zero | small | large). Generated reports are `training.synth.generate_report(SEED,
clean=True)`: the 2021 template, the gold cells all 200.

For each report the generator writes `NAME.pdf` and `NAME.json` = {"cells", "source", "font", "seed", "issuer",
"year", "look", "producer", "pages", "tables", "check"}: `cells` are exactly the values printed in the tables (the
gold; `null` = a printed-blank cell, an absent id = a row the report does not print), `font` the body font, `look`
every drawn layout parameter, `tables` the pages each table runs over and on how many pages table 三's header is
printed, `check` the cells read back from the PDF's ruled tables by pdfplumber (`training.office.verify`; a mismatch
fails the run) and the narrative characters the PDF does not draw (LibreOffice 7.4 loses a few line-final 、，。 of
justified CJK text). NAME is the report's name and `_s{seed}`.

Why .docx (python-docx) and not .odt / HTML: government reports are written in Word or WPS, and a .docx converted by
LibreOffice is the path such a file takes to a PDF on a server; the Word model has everything the template's tables
need as plain markup (gridSpan / vMerge merged cells, w:tblHeader repeated header rows, w:cantSplit rows, a PAGE
field in odd/even footers, separate East Asian and Latin fonts per run), so LibreOffice's Word import and its PDF
export (TrueType subsets as simple fonts with ToUnicode maps, CFF fonts converted to Type 1 subsets, synthetic bold
where a family has no bold face, optional tagged PDF) produce the PDFs, not our own renderer. HTML would lose the
page-level features (repeated headers, footers, exact line pitch); .fodt would be as good for LibreOffice but is
not what publishers author in.

Seeded: the layout of each report (`docx_writer.Look`: fonts of body / headings / title / tables from at least two
CJK families, Latin font for digits, body 14–16 pt, tables 9–12 pt, title 22 pt bold, line pitch 1.0–1.5 as a
multiple or an exact value, margins, page-number style, label alignment, row heights, tagged PDF or not) is drawn
from `random.Random(f"{seed}:{name}")`; the same seed gives the same documents.

Needs the OS packages of `training/office/install_office.sh` and `pip install python-docx`.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

from .docx_writer import Look, build_docx
from .source import OfficeReport, from_shared, from_synth

SHARED = Path(__file__).resolve().parents[3] / "shared"
PROFILES = ("zero", "small", "large")
TAGGED = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def _shared_dir(args: argparse.Namespace) -> Path:
    return Path(args.shared) if args.shared else SHARED


def resolve_reports(items: Iterable[str], seed: int, shared: Path) -> list[tuple[str, Any]]:
    """[(kind, argument)]: ('shared', (txt, gold)) | ('gen', (seed, profile))."""
    out: list[tuple[str, Any]] = []
    rng = random.Random(f"{seed}:synth")
    for item in items:
        kind, _, rest = item.partition(":")
        if kind == "shared":
            txts = sorted((shared / "reports").glob(f"{rest}*.txt"))
            if not txts:
                raise SystemExit(f"no shared report matches {item!r} in {shared / 'reports'}")
            for t in txts:
                gold = shared / "gold" / f"{t.stem}.json"
                if gold.exists():
                    out.append(("shared", (t, gold)))
        elif kind == "synth":
            for _ in range(int(rest or 1)):
                out.append(("gen", (rng.randrange(10_000, 1_000_000), rng.choice(("small", "large")))))
        elif kind == "gen":
            s, _, profile = rest.partition(":")
            if profile and profile not in PROFILES:
                raise SystemExit(f"profile {profile!r} not in {PROFILES}")
            out.append(("gen", (int(s), profile or None)))
        else:
            raise SystemExit(f"unknown --reports item {item!r} (shared[:ID] | synth:N | gen:SEED[:PROFILE])")
    return out


def load(kind: str, arg: Any) -> OfficeReport:
    if kind == "shared":
        return from_shared(*arg)
    return from_synth(*arg)


def soffice_binary(explicit: str | None) -> str:
    exe = explicit or shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("soffice not found: run training/office/install_office.sh (as root)")
    return exe


def soffice_version(exe: str) -> str:
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout
    m = re.search(r"LibreOffice [\d.]+", out)
    return m.group(0) if m else out.strip()


def convert(exe: str, docx_files: list[Path], outdir: Path, tagged: bool, profile_dir: Path) -> None:
    """One soffice run for many files (starting LibreOffice is most of the time)."""
    if not docx_files:
        return
    cmd = [exe, f"-env:UserInstallation={profile_dir.as_uri()}", "--headless", "--norestore",
           "--convert-to", TAGGED if tagged else "pdf", "--outdir", str(outdir), *map(str, docx_files)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120 + 30 * len(docx_files))
    missing = [d for d in docx_files if not (outdir / f"{d.stem}.pdf").exists()]
    if proc.returncode or missing:
        raise RuntimeError(f"soffice failed ({proc.returncode}) for {[d.name for d in missing]}:\n"
                           f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def page_facts(pdf_path: Path) -> dict[str, Any]:
    """Pages, and where the tables run, as pdfplumber's extract_text shows them (None without pdfplumber)."""
    try:
        import pdfplumber
    except ImportError:
        return {}
    with pdfplumber.open(pdf_path) as pdf:
        texts = [re.sub(r"\s+", "", p.extract_text() or "") for p in pdf.pages]
    def pages_with(*words: str) -> list[int]:
        return [i + 1 for i, t in enumerate(texts) if any(w in t for w in words)]

    def span(first: list[int], last: list[int]) -> list[int] | None:
        return [min(first), max(last)] if first and last else None

    t3_head = pages_with("申请人情况")
    return {"pages": len(texts),
            "tables": {"t2": span(pages_with("第二十条第"), pages_with("行政事业性收费", "第二十条第")),
                       "t3": span(t3_head, pages_with("结转下年度继续办理")),
                       "t3_header_pages": len(t3_head),
                       "t4": span(pages_with("复议后起诉", "未经复议直接起诉"), pages_with("复议后起诉"))}}


def dropped_chars(pdf_path: Path, report: OfficeReport) -> dict[str, int]:
    """Characters of the narrative (title, headings, paragraphs) that the PDF does not draw, outside its tables.

    LibreOffice 7.4 loses a few line-final 、，。 in justified CJK paragraphs (the mark that would hang into the
    margin is not drawn at all; overflowPunct in the .docx is not imported), so a PDF can lack one or two marks of
    its source text; the count is kept in the JSON so a reader is not blamed for them."""
    try:
        import pdfplumber
    except ImportError:
        return {}
    from collections import Counter

    want = Counter("".join(b.text for b in report.blocks if b.kind != "table"))
    got: Counter[str] = Counter()
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            boxes = [t.bbox for t in page.find_tables()]
            for c in page.chars:
                if not any(x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1 and top - 1 <= c["top"] and c["bottom"] <= bottom + 1
                           for x0, top, x1, bottom in boxes):
                    got[c["text"]] += 1
    return {ch: n - got[ch] for ch, n in sorted(want.items()) if got[ch] < n and not ch.isspace()}


def check_cells(pdf_path: Path, expected: dict[str, Any]) -> dict[str, Any]:
    """The tables read back with pdfplumber's extract_tables (training.office.verify): every expected cell must
    come back with its value; a mismatch is kept in the JSON and makes the run fail (the generator would be wrong)."""
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        return {}
    from .verify import compare, read_cells

    bad = compare(expected, read_cells(pdf_path))
    out: dict[str, Any] = {"cells_read_back": len(expected) - sum("expected" in b for b in bad), "of": len(expected),
                           "by": "pdfplumber extract_tables"}
    if bad:
        out["mismatches"] = bad
    return out


def make(args: argparse.Namespace) -> list[Path]:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    exe = soffice_binary(args.soffice)
    producer = soffice_version(exe)
    jobs = resolve_reports(args.reports, args.seed, _shared_dir(args))
    written: list[Path] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="office_pdfs_") as tmp:
        tmpdir = Path(tmp)
        groups: dict[bool, list[Path]] = {False: [], True: []}
        meta: dict[str, dict[str, Any]] = {}
        reports: dict[str, OfficeReport] = {}
        for kind, arg in jobs:
            rep = load(kind, arg)
            look = Look.draw(random.Random(f"{args.seed}:{rep.name}"))
            if args.font:
                look.body_font = look.table_font = args.font
            name = f"{rep.name}_s{args.seed}"
            docx = build_docx(rep, look, tmpdir / "docx" / f"{name}.docx")
            groups[look.tagged_pdf and not args.untagged].append(docx)
            reports[name] = rep
            meta[name] = {"cells": rep.cells, "source": rep.source, "font": look.body_font, "seed": args.seed,
                          "issuer": rep.issuer, "year": rep.year, "look": look.as_dict(), "producer": producer}
        for tagged, files in groups.items():
            convert(exe, files, out, tagged, tmpdir / "profile")
        for docx in groups[False] + groups[True]:
            name = docx.stem
            pdf = out / f"{name}.pdf"
            rec = meta[name]
            rec["look"]["tagged_pdf"] = docx in groups[True]
            rec.update(page_facts(pdf))
            rec["check"] = check_cells(pdf, rec["cells"])
            rec["check"]["narrative_chars_not_drawn"] = dropped_chars(pdf, reports[name])
            (out / f"{name}.json").write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            if args.keep_docx:
                shutil.copy2(docx, out / docx.name)
            written.append(pdf)
            tables = rec.get("tables") or {}
            check = rec["check"]
            print(f"{pdf.name}\t{pdf.stat().st_size // 1024} KB\t{rec.get('pages')} pages\tfont {rec['font']}"
                  f"\tt3 pages {tables.get('t3')}, header on {tables.get('t3_header_pages')}"
                  f"\tcells read back {check.get('cells_read_back')}/{check.get('of')}", file=sys.stderr)
            if check.get("mismatches"):
                failed.append(f"{pdf.name}: {check['mismatches'][:3]}")
    if failed:
        raise SystemExit("PDFs that do not print their expected cells:\n" + "\n".join(failed))
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.office.make_office_pdfs", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (NAME.pdf + NAME.json per report)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the layouts and of synth:N report seeds")
    ap.add_argument("--reports", nargs="+", default=["shared", "synth:4"], metavar="ITEM",
                    help="shared | shared:ID | synth:N | gen:SEED[:PROFILE] (default: shared synth:4)")
    ap.add_argument("--font", default=None, help="force the body and table font family (fontconfig name)")
    ap.add_argument("--untagged", action="store_true", help="never export tagged PDF (smaller files)")
    ap.add_argument("--keep-docx", action="store_true", help="keep the .docx next to each PDF")
    ap.add_argument("--shared", default=os.environ.get("GAZETTE_SHARED"), help="the shared folder (../shared)")
    ap.add_argument("--soffice", default=None, help="the soffice binary (default: from PATH)")
    args = ap.parse_args(argv)
    make(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
