"""An `OfficeReport` as a Word document (.docx) laid out like a government report, in a seeded `Look`.

Real merged cells (gridSpan / vMerge), header rows marked to repeat on every page (w:tblHeader), a PAGE field in
the footer (`- 2 -`, centred, or on the outer side with odd/even footers), East Asian fonts set as w:eastAsia and
digits in a Latin font (w:ascii / w:hAnsi) as Word-made reports have them, line pitch as a multiple or an exact
value (an exact pitch below the font's own line height makes glyph boxes overlap the next line, as real exports do).
Table cells keep Word's default zero top/bottom padding, so glyphs touch the rules; the seven value columns of
table 三 are narrow, so a four-digit count can wrap inside its cell (`317` over `0`), as in real reports; rows may
break across a page (`cant_split` false) leaving a label's tail on the next page under the repeated header; the
group label 三、本年度办理结果 is either wrapped in its narrow column or set in vertical text (tbRl).
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .source import GRIDS, Grid, OfficeReport

# fontconfig family names as the OS packages of install_office.sh provide them
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
KAI, MING = "AR PL UKai CN", "AR PL UMing CN"
ZENHEI, MICROHEI = "WenQuanYi Zen Hei", "WenQuanYi Micro Hei"
# body font (FangSong-like Kai first: official reports set their body in 仿宋), with its usual companions
BODY_FONTS: tuple[tuple[str, float], ...] = ((KAI, 0.35), (SERIF, 0.35), (MING, 0.15), (MICROHEI, 0.15))
HEADING_FONTS = (SANS, ZENHEI)  # 黑体-like section headings 一、…
TITLE_FONTS = (SERIF, SANS, ZENHEI)  # 小标宋-like title (Zen Hei has no bold face: LibreOffice emboldens it)
LATIN_FONTS = ("Times New Roman", None)  # None: digits in the CJK font itself

A4_W, A4_H = 21.0, 29.7


@dataclass
class Look:
    body_font: str
    heading_font: str
    sub_font: str
    title_font: str
    table_font: str
    latin_font: str | None
    body_pt: float
    table_pt: float
    title_pt: float
    spacing: str  # multiple | exact
    pitch: float  # line pitch as a multiple of the font size (1.0–1.5)
    title_pitch_pt: float
    margins_cm: tuple[float, float, float, float]  # top, bottom, left, right
    page_number: str  # format of the footer, {} = page
    footer_outer: bool  # odd pages right, even pages left (else centred)
    title_one_paragraph: bool  # the two title lines as one paragraph with a line break
    first_indent_chars: float
    label_align: str  # left | center (table row labels)
    row_min_cm: float  # minimum table row height (0 = none)
    cant_split: bool  # rows may not break across pages
    group_col_cm: float  # table 三's narrow column of the vertical group label
    tagged_pdf: bool
    group_vertical: bool = False  # 三、本年度办理结果 set in vertical text (w:textDirection tbRl), not wrapped

    @classmethod
    def draw(cls, rng: random.Random) -> "Look":
        fonts, weights = zip(*BODY_FONTS)
        body = rng.choices(fonts, weights)[0]
        table = rng.choice((body, body, SERIF if body != SERIF else MING, MICROHEI))
        return cls(
            body_font=body,
            heading_font=rng.choice(HEADING_FONTS),
            sub_font=rng.choice((KAI, body)),
            title_font=rng.choice(TITLE_FONTS),
            table_font=table,
            latin_font=rng.choice(LATIN_FONTS),
            body_pt=rng.choice((16, 16, 16, 15, 14)),
            table_pt=rng.choice((10.5, 10.5, 9, 12)),
            title_pt=22,
            spacing=rng.choice(("multiple", "exact")),
            pitch=round(rng.uniform(1.0, 1.5), 2),
            title_pitch_pt=rng.choice((28, 30, 32, 36)),
            margins_cm=(round(rng.uniform(2.5, 3.7), 1), round(rng.uniform(2.3, 3.5), 1),
                        round(rng.uniform(2.5, 3.2), 1), round(rng.uniform(2.3, 3.0), 1)),
            page_number=rng.choice(("- {} -", "- {} -", "— {} —")),
            footer_outer=rng.random() < 0.3,
            title_one_paragraph=rng.random() < 0.3,
            first_indent_chars=rng.choice((2, 2, 2, 0)),
            label_align=rng.choice(("left", "center")),
            row_min_cm=rng.choice((0, 0, 0.6, 0.8)),
            cant_split=rng.random() < 0.5,
            group_col_cm=round(rng.uniform(0.9, 1.6), 1),
            tagged_pdf=rng.random() < 0.5,
            group_vertical=rng.random() < 0.3,
        )

    def as_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- low-level helpers
def _fonts(rpr_owner, cjk: str, latin: str | None) -> None:
    """Set w:rFonts on a style or run element: East Asian font `cjk`, Latin font `latin` (or `cjk`)."""
    rpr = rpr_owner.get_or_add_rPr()
    rf = rpr.get_or_add_rFonts()
    lat = latin or cjk
    for attr, val in (("w:ascii", lat), ("w:hAnsi", lat), ("w:eastAsia", cjk), ("w:cs", lat)):
        rf.set(qn(attr), val)
    rf.set(qn("w:hint"), "eastAsia")


def _spacing(pf, look: Look, size: float, single: bool = False) -> None:
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if single:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    elif look.spacing == "exact":
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(round(size * look.pitch * 2) / 2)
    else:
        pf.line_spacing = look.pitch


def _style(doc, name: str, cjk: str, latin: str | None, size: float, bold: bool = False):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    st.font.size = Pt(size)
    st.font.bold = bold
    _fonts(st.element, cjk, latin)
    return st


def _field(paragraph, instr: str, shown: str = "1") -> None:
    def run_with(el):
        r = paragraph.add_run()
        r._r.append(el)

    for kind in ("begin", None, "separate"):
        if kind is None:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = f" {instr} "
            run_with(it)
        else:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            run_with(fc)
    paragraph.add_run(shown)
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), "end")
    run_with(fc)


def _page_footer(footer, look: Look, align) -> None:
    p = footer.paragraphs[0]
    p.alignment = align
    before, after = look.page_number.split("{}")
    p.add_run(before)
    _field(p, "PAGE")
    p.add_run(after)
    for run in p.runs:
        run.font.size = Pt(14)


def _row_props(row, header: bool, cant_split: bool, min_cm: float) -> None:
    trpr = row._tr.get_or_add_trPr()
    if cant_split:
        trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))
    if min_cm:
        row.height = Cm(min_cm)


# ---------------------------------------------------------------- tables
def _col_widths(g: Grid, width_cm: float, look: Look) -> list[float]:
    if g.table == "t2":
        first = width_cm * 0.4
        return [first] + [(width_cm - first) / 3] * 3
    if g.table == "t3":
        group, item = look.group_col_cm, round(width_cm * 0.13, 2)
        sub = round(width_cm * 0.27, 2)
        rest = (width_cm - group - item - sub) / 7
        return [group, item, sub] + [rest] * 7
    return [width_cm / g.n_cols] * g.n_cols


def add_grid(doc, g: Grid, look: Look, width_cm: float) -> None:
    t = doc.add_table(rows=g.n_rows, cols=g.n_cols)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = _col_widths(g, width_cm, look)
    for j, w in enumerate(widths):
        t.columns[j].width = Cm(w)
        for c in t.columns[j].cells:
            c.width = Cm(w)
    for i, row in enumerate(t.rows):
        _row_props(row, i < g.header_rows, look.cant_split, look.row_min_cm)
    for c in g.cells:  # merge first: python-docx moves the text of merged cells together
        if c.rowspan > 1 or c.colspan > 1:
            t.cell(c.row, c.col).merge(t.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
    for c in g.cells:
        cell = t.cell(c.row, c.col)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for extra in cell.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        if c.kind == "group" and c.col == 0 and look.group_vertical:
            direction = OxmlElement("w:textDirection")
            direction.set(qn("w:val"), "tbRl")  # East Asian vertical: characters upright, top to bottom
            tcpr = cell._tc.get_or_add_tcPr()
            valign = tcpr.find(qn("w:vAlign"))
            (valign.addprevious if valign is not None else tcpr.append)(direction)
        p = cell.paragraphs[0]
        p.style = doc.styles["GzTable"]
        centred = c.kind in ("header", "value", "group") or look.label_align == "center"
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
        if c.text:
            p.add_run(c.text)


# ---------------------------------------------------------------- the document
def build_docx(report: OfficeReport, look: Look, path: Path) -> Path:
    doc = Document()
    props = doc.core_properties  # python-docx's template says author "python-docx" and today's dates
    props.author = props.last_modified_by = "Administrator"
    props.title = f"{report.issuer}{report.year}年政府信息公开工作年度报告"
    props.created = props.modified = datetime(report.year + 1, 1, 20, 9, 0, 0)
    props.revision = 1
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(A4_W), Cm(A4_H)
    top, bottom, left, right = look.margins_cm
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(top), Cm(bottom), Cm(left), Cm(right)
    sec.footer_distance = Cm(max(1.0, bottom - 1.4))
    width_cm = A4_W - left - right

    normal = doc.styles["Normal"]
    normal.font.size = Pt(look.body_pt)
    _fonts(normal.element, look.body_font, look.latin_font)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)

    title = _style(doc, "GzTitle", look.title_font, look.latin_font, look.title_pt, bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(look.title_pitch_pt)
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(0)
    indent = Pt(look.first_indent_chars * look.body_pt) if look.first_indent_chars else None
    for name, font, bold in (("GzHeading", look.heading_font, False), ("GzSub", look.sub_font, True),
                             ("GzBody", look.body_font, False), ("GzSign", look.body_font, False)):
        st = _style(doc, name, font, look.latin_font, look.body_pt, bold)
        _spacing(st.paragraph_format, look, look.body_pt)
        if name == "GzSign":
            st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            continue
        st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent is not None:
            st.paragraph_format.first_line_indent = indent
        if name in ("GzHeading", "GzSub"):
            st.paragraph_format.keep_with_next = True
    tab = _style(doc, "GzTable", look.table_font, look.latin_font, look.table_pt)
    _spacing(tab.paragraph_format, look, look.table_pt, single=True)

    # footer: page numbers, centred or on the outer side
    if look.footer_outer:
        doc.settings.odd_and_even_pages_header_footer = True
        _page_footer(sec.footer, look, WD_ALIGN_PARAGRAPH.RIGHT)
        _page_footer(sec.even_page_footer, look, WD_ALIGN_PARAGRAPH.LEFT)
    else:
        _page_footer(sec.footer, look, WD_ALIGN_PARAGRAPH.CENTER)

    body = doc.paragraphs[0] if doc.paragraphs else None  # the default template starts with no paragraph
    if body is not None:
        body._p.getparent().remove(body._p)
    titles = [b.text for b in report.blocks if b.kind == "title"]
    if look.title_one_paragraph:
        p = doc.add_paragraph(style=title)
        p.add_run(titles[0])
        p.add_run().add_break(WD_BREAK.LINE)
        p.add_run(titles[1])
    else:
        for t in titles:
            doc.add_paragraph(t, style=title)
    doc.add_paragraph("", style=doc.styles["GzBody"])
    last = None
    for b in report.blocks:
        if b.kind == "title":
            continue
        if b.kind == "table":
            if last == "table":  # Word keeps a paragraph between two tables (else they join into one)
                doc.add_paragraph("", style=doc.styles["GzBody"])
            add_grid(doc, GRIDS[b.table](report.cells), look, width_cm)
        elif b.kind == "heading":
            doc.add_paragraph(b.text, style=doc.styles["GzHeading"])
        elif b.kind == "subheading":
            doc.add_paragraph(b.text, style=doc.styles["GzSub"])
        elif b.kind == "signature":
            if last != "signature":
                doc.add_paragraph("", style=doc.styles["GzSign"])
            doc.add_paragraph(b.text, style=doc.styles["GzSign"])
        else:
            doc.add_paragraph(b.text, style=doc.styles["GzBody"])
        last = b.kind
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
