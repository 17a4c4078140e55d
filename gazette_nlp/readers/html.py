"""Web pages (.html/.htm): lxml's HTML parser → the text lines a browser shows.

- the charset comes from a BOM, else the page's own `<meta charset>` / `http-equiv` declaration (GB2312 and GBK
  read as their superset GB18030), else UTF-8, else the charset detector the text reader uses (GB18030, Big5);
- `<table>` rows become tab-separated lines, one field per `<td>`/`<th>`, empty cells kept as empty fields;
- scripts, styles, forms and navigation (`<nav>`, role=navigation, breadcrumb/menu blocks) are dropped;
- block elements and `<br>` end a line; runs of ASCII whitespace collapse to one space, as a browser renders them.
"""
from __future__ import annotations

import codecs

from ..errors import DecodeError, EmptyInputError, MissingDependencyError
from ..model import Report
from .lines import RawLine, report_from_lines
from .text import detect_chinese

DROP_TAGS = {"script", "style", "noscript", "template", "head", "nav", "form", "iframe", "svg", "button", "select",
             "object", "embed", "canvas"}
NAV_WORDS = ("nav", "breadcrumb", "crumb", "menu", "position", "location", "sitemap")
BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "h1", "h2", "h3", "h4", "h5",
              "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "address", "figure", "figcaption",
              "hr", "center", "body", "html", "caption", "fieldset", "details", "summary"}
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030"}
_WS = " \t\n\r\f"


def _lxml_html():
    try:
        import lxml.html
    except ImportError:
        raise MissingDependencyError("reading HTML needs lxml: pip install 'gazette-nlp[web]'") from None
    return lxml.html


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB, found by parsing that head with lxml (no regex)."""
    lxml_html = _lxml_html()
    head = data[:4096].decode("ascii", "replace")
    try:
        doc = lxml_html.document_fromstring(head)
    except Exception:  # a fragment lxml cannot make a document of declares nothing
        return None
    for meta in doc.iter("meta"):
        cs = meta.get("charset")
        if not cs and (meta.get("http-equiv") or "").lower() == "content-type":
            content = meta.get("content") or ""
            cs = content.lower().partition("charset=")[2].split(";")[0]
        cs = (cs or "").strip().strip("\"'").lower()
        if cs:
            return _ALIASES.get(cs, cs)
    return None


def decode_html(data: bytes) -> tuple[str, str]:
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace"), enc
    declared = declared_charset(data)
    tried = [declared] if declared else []
    for enc in tried + ["utf-8"]:
        try:
            codecs.lookup(enc)
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            continue
    detected = detect_chinese(data)
    if detected is None:
        raise DecodeError("the web page is not valid in its declared charset, UTF-8 or a Chinese encoding")
    return detected


def _is_nav(el) -> bool:
    if (el.get("role") or "").lower() == "navigation":
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return any(w in names for w in NAV_WORDS)


def _split_ws(s: str) -> list[str]:
    # split on ASCII whitespace only: a full-width space (U+3000) or &nbsp; is printed text and stays
    out, cur = [], []
    for ch in s:
        if ch in _WS:
            if cur:
                out.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


class _Lines:
    """Collects inline text into lines; a block boundary or <br> ends the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self.cur.append(text)

    def end(self, paragraph: bool = False) -> None:
        line = " ".join(_split_ws("".join(self.cur)))
        if line:
            self.lines.append(line)
        self.cur = []
        if paragraph and self.lines and self.lines[-1]:
            self.lines.append("")  # a blank line between blocks, as text exports separate paragraphs


def _cell_text(cell) -> str:
    return " ".join(_split_ws(cell.text_content()))


def _rows(table) -> list:
    """The table's own rows (not those of tables nested in its cells)."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _walk(el, out: _Lines) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if not tag or tag in DROP_TAGS or _is_nav(el):  # comments, processing instructions, dropped blocks
        out.add(el.tail)
        return
    if tag == "table":
        out.end()
        for tr in _rows(el):
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            out.lines.append("\t".join(_cell_text(c) for c in cells))
        out.end(paragraph=True)
        out.add(el.tail)
        return
    block = tag in BLOCK_TAGS
    if block:
        out.end()
    if tag == "br":
        out.end()
    out.add(el.text)
    for child in el:
        _walk(child, out)
    if block:
        out.end(paragraph=True)
    out.add(el.tail)


def read_html(data: bytes, source: str = "<html>") -> Report:
    """Read a web page into a `Report`. Raises named `InputError` subclasses."""
    lxml_html = _lxml_html()
    text, encoding = decode_html(data)
    if not text.strip():
        raise EmptyInputError("the web page is empty")
    if text.lstrip().startswith("<?xml"):  # lxml refuses a str that still declares its byte encoding
        text = text.split("?>", 1)[1]
    try:
        doc = lxml_html.document_fromstring(text)
    except Exception as e:
        raise EmptyInputError(f"the web page holds no document ({type(e).__name__})") from None
    out = _Lines()
    body = doc.find("body")
    _walk(body if body is not None else doc, out)
    out.end()
    lines = [RawLine(t) for t in out.lines]
    report = report_from_lines(lines, source, "html")
    report.meta["encoding"] = encoding
    return report
