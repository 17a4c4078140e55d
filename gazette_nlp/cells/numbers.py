"""Reading printed numbers, and cutting table lines into a stream of label / number / blank tokens.

The stream is layout-neutral: a tab row, a pipe row, a row spread one cell per line and a space-separated
row all become `label, num, num, …`, so the aligner reads every layout with one grammar. Empty fields are
kept as `blank` tokens only where the layout shows them (an empty tab/pipe field, a line holding only a
tab or only pipes), because a printed-blank cell is `null` while a cell that is not there is absent.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..model import Line, Number
from ..textnorm import normalise

# printed in a numeric cell for "none": value 0, raw kept (annotation guidelines)
_ZERO_MARKS = re.compile(r"^(?:[-‐‑‒–—―－─━~～]{1,3}|[/／\\]|无|無|〇|零)$")
_INT = re.compile(r"^\d+$")
_FLOAT = re.compile(r"^\d+\.\d+$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# OCR confusions of 0 and 1; only accepted in a token that is otherwise digits
_OCR_MAP = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1"})
_OCR_TOKEN = re.compile(r"^[\dOolI|〇]+(?:,[\dOolI|〇]{3})*(?:\.[\dOolI|〇]+)?$")
_UNIT = re.compile(r"^(.*\d)\s*(?:件|条|万元)$")  # "326件" in a numeric cell


def read_number(token: str) -> tuple[Number, str] | None:
    """A printed cell value → (value, raw), or None when the token is not a number.

    raw is the token as printed (stripped). Integers stay int, decimals float; `—`, `/`, `无` read 0.
    """
    raw = token.strip()
    if not raw:
        return None
    t = unicodedata.normalize("NFKC", raw).replace(" ", "")
    if _ZERO_MARKS.match(t):
        return 0, raw
    value = _plain(t)
    if value is None:
        m = _UNIT.match(t)
        if m:
            value = _plain(m.group(1))
    if value is None and _OCR_TOKEN.match(t) and _ocr_plausible(t):
        value = _plain(t.translate(_OCR_MAP))
    return (value, raw) if value is not None else None


def _plain(t: str) -> Number | None:
    if _INT.match(t):
        return int(t)
    if _FLOAT.match(t):
        return float(t)
    if _THOUSANDS.match(t):
        s = t.replace(",", "")
        return float(s) if "." in s else int(s)
    return None


def _ocr_plausible(t: str) -> bool:
    """O/o/l/I/| count as digits only next to a real digit, or alone in the cell."""
    if len(t) == 1:
        return True
    for i, ch in enumerate(t):
        if ch in "OolI|":
            near = t[max(0, i - 2):i] + t[i + 1:i + 3]  # '1O', 'I.3': a digit beside it, or past a point
            if not any(c.isdigit() for c in near) or (len(near) == 1 and near == "."):
                return False
    return any(c.isdigit() for c in t)


def is_ocr_fixed(raw: str) -> bool:
    t = unicodedata.normalize("NFKC", raw)
    return any(ch in "OolI|" for ch in t) and not _ZERO_MARKS.match(t)


# ------------------------------------------------------------------ tokens
@dataclass
class Token:
    kind: str  # label | num | blank | barrier
    line: int
    text: str = ""  # normalised text (labels), or the number as printed
    value: Number | None = None
    raw: str | None = None
    glued: bool = False  # number cut off the end of a label: "（一）予以公开12"
    alone: bool = False  # a blank that is the whole line (one-cell-per-line layouts)
    shape: str = ""  # how its line looks (indent, lone cell, pipe): a page number differs from the cells



def same_value(a: object, b: object) -> bool:
    """Two cell values are the same: both null, or equal numbers (a float from a printed "2561.768" equals it)."""
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-6  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False

# a label's own numbering inside a field: "… （一）予以公开", "… 1.属于国家秘密" (not "第（一）项")
_INNER_NUMBERING = re.compile(r"(?<=[^\s第(（])\s*(?=[(（][一二三四五六七八九十]{1,2}[)）]"
                              r"|(?<![\d.])\d{1,2}[.．、]\s*(?=[^\d\s.]))")
_GLUED_TAIL = re.compile(r"^(.*[^\d.,\s第])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)$")
_OWN_NUMBER = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}[、.]|\d{1,2}[.、])")
_SMALL_INT = re.compile(r"^\d{1,2}$|^\d{4}$")  # numbering (1 … 99) or a year before a label word
_PAGE = re.compile(r"^(?:P\.?\s*\d+|Page\s*\d+.*|第\s*\d+\s*页.*|[-－—]\s*\d+\s*[-－—]|\d+\s*/\s*\d+)$", re.I)


def is_page_furniture(norm: str) -> bool:
    return bool(_PAGE.match(norm.strip()))


def split_field(field: str) -> list[tuple[str, str]]:
    """One table field → [(kind, text)], kind label|num; numbers glued to a label are cut off.

    '（一）予以公开 12' → [label, num]; '1. 属于国家秘密' → [label]; '2024 年' → [label].
    """
    pieces = field.split()
    out: list[tuple[str, str]] = []
    for i, p in enumerate(pieces):
        # '3 其他', '2024 年': a leading integer that numbers (or dates) the label after it — not '0', and not
        # before a label with its own numbering ('0 （五）不予处理' is a value glued to the next label)
        numbering = (i == 0 and len(pieces) > 1 and _SMALL_INT.match(p) and p != "0"
                     and read_number(pieces[1]) is None and not _OWN_NUMBER.match(pieces[1]))
        if read_number(p) is not None and not numbering:
            out.append(("num", p))
            continue
        m = _GLUED_TAIL.match(p)
        if m and re.search(r"[\u4e00-\u9fff)）”\"]$", m.group(1)):
            _add_label(out, m.group(1))
            out.append(("glued", m.group(2)))
            continue
        _add_label(out, p)
    result: list[tuple[str, str]] = []
    for kind, text in out:  # a field may hold a group label and a row label: split them
        if kind == "label":
            parts = [s.strip() for s in _INNER_NUMBERING.split(text) if s.strip()]
            result += [("label", s) for s in parts]
        else:
            result.append((kind, text))
    return result


def _add_label(out: list[tuple[str, str]], text: str) -> None:
    if out and out[-1][0] == "label":
        out[-1] = ("label", out[-1][1] + " " + text)
    else:
        out.append(("label", text))


def line_fields(text: str, pipe_style: str = "trailing", indented: bool = False) -> list[str] | None:
    """A line's fields, or None when it has no field separators (one free-text field).

    Tab lines: one field per tab-separated part; a single leading tab before one field is indentation
    (one cell per line); in a table laid out that way (`indented`) the leading tab of every line is. Pipe
    lines: 'trailing' style writes each cell as 'text |' (a lone '|' is one empty cell); 'markdown' style
    writes '| a | b |'.
    """
    if "|" in text:
        s = text.strip()
        if re.fullmatch(r"[|\s:：\-—]*-{3,}[|\s:：\-—]*", s):
            return []  # markdown separator row
        parts = s.split("|")
        if pipe_style == "markdown" and s.startswith("|"):
            parts = parts[1:]
        if s.endswith("|"):
            parts = parts[:-1]
        out: list[str] = []
        for p in parts:
            out += p.split("\t") if "\t" in p else [p]
        return out
    if "\t" in text:
        parts = text.split("\t")
        core = list(parts)
        while len(core) > 1 and not core[-1].strip():
            core.pop()
        if len(core) == 2 and not core[0].strip():
            return core[1:]  # one cell per line, indented by a tab
        if indented and len(core) > 2 and not core[0].strip():
            return parts[1:]
        return parts  # trailing empty fields are kept: the decoder knows when they are padding
    return None


# converters name the columns of a header they could not read: '数据1 … 数据6', '列3', 'Column 2'
_COLUMN_NAME = re.compile(r"^(?:数据|列|栏|字段|Column|Col)\s*\d{1,2}$", re.I)


def is_placeholder_row(text: str) -> bool:
    """'| - | - | - |' as a markdown table's header: a converter's placeholder for a header row, not zeros."""
    fields = [f.strip() for f in text.strip().strip("|").split("|")]
    return len(fields) >= 3 and all(f in ("", "-", "—", "－") for f in fields) and any(fields)


def tokenize_line(line: Line, pipe_style: str = "trailing", simplify: bool = False,
                  indented: bool = False) -> list[Token]:
    """Tokens of one table line: fields from the printed text, labels normalised (half-width; simplified
    characters when `simplify`), numbers with their printed form in `raw`."""
    fields = line_fields(line.text, pipe_style, indented)
    if fields is None:
        fields = [line.text]
    toks: list[Token] = []
    for f in fields:
        if not f.strip():
            toks.append(Token("blank", line.n))
            continue
        if _COLUMN_NAME.match(f.strip()):  # a converter's name for a header it could not read: no cell
            continue
        for kind, text in split_field(normalise(f)):
            if kind == "label":
                toks.append(Token("label", line.n, text=text.translate(_t2s_chars()) if simplify else text))
            else:
                value, _ = read_number(text)  # type: ignore[misc]
                toks.append(Token("num", line.n, text=text, value=value, raw=_raw_of(f, text),
                                  glued=kind == "glued"))
    shape = f"{len(line.text) - len(line.text.lstrip())}|{len(toks) == 1}|{line.text.rstrip().endswith('|')}"
    for t in toks:
        t.shape = shape
    return toks


def _raw_of(field: str, text: str) -> str:
    """The printed form of a number read from the normalised field (full-width digits stay full-width)."""
    f = field.strip()
    if unicodedata.normalize("NFKC", f).replace(" ", "") == text.replace(" ", ""):
        return f
    for piece in f.split():
        if unicodedata.normalize("NFKC", piece) == text:
            return piece
    return text


@lru_cache(maxsize=1)
def _t2s_chars() -> dict[int, str]:
    """Traditional → simplified, character by character: enough to match labels, and ~100x faster than the
    phrase-level converter that `textnorm.to_simplified` uses for whole texts."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    table: dict[int, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            k, _, v = line.rstrip("\n").partition("\t")
            if len(k) == 1 and v:
                table[ord(k)] = v.split(" ")[0]
    return table
