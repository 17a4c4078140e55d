"""The prose of a report: title, preamble, section headings, and sections 一, 五 and 六 with their paragraphs.

Headings standing alone on a line are `heading`; run-in headings (`（二）依申请公开。2023年…`, `1.加强基本信息
公开。…`) stay inside their `narrative` paragraph. Paragraphs may be broken mid-sentence as PDFs do, never right
after a full stop, so each piece after the first reads as a continuation.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from gazette_nlp.template import SECTIONS

from . import phrases as P
from . import phrases_more as M
from .compose import ORDINALS, THEMES, Composer
from .doc import Doc, Ln, blank

TERMINAL = "。！？；：.!?;:"
_NO_LINE_START = TERMINAL + "、，）》”’,)"  # typesetting never starts a line with these
OFFICIAL_SUBSECTIONS = ("active_disclosure", "requests", "info_management", "platforms", "supervision")
_SUB_NUMBERS = ("（{cn}）", "({cn})", "({cn}) ", "{ar}.", "{ar}、", "第{cn}，", "（{cn}）", "({cn})", "- ")
_RUNIN_NUMBERS = ("（{cn}）", "({cn})", "({cn}) ", "{ar}.", "{ar}. ")


@dataclass
class NarrOpts:
    blank_between: bool = True  # a blank line between blocks (most PDF extractions)
    wrap: float = 0.0  # chance a paragraph is broken across lines
    wrap_blank: bool = True  # those pieces separated by blank lines (003) or not
    bold: bool = False  # markdown **run-in headings**
    sub_style: str = "standalone"  # standalone | runin | none
    sub_number: str = "（{cn}）"
    runin_number: str = "（{cn}）"
    heading_stop: bool = False  # （一）主动公开情况。

    @classmethod
    def draw(cls, rng: random.Random, wrapped: bool, bold: bool) -> "NarrOpts":
        return cls(rng.random() < 0.6, rng.uniform(0.15, 0.45) if wrapped else 0.0, rng.random() < 0.6, bold,
                   rng.choices(("standalone", "runin", "none"), (0.5, 0.35, 0.15))[0], rng.choice(_SUB_NUMBERS),
                   rng.choice(_RUNIN_NUMBERS), rng.random() < 0.25)


class Narrator:
    def __init__(self, rng: random.Random, doc: Doc, comp: Composer, opts: NarrOpts) -> None:
        self.rng, self.doc, self.comp, self.o = rng, doc, comp, opts
        self.wrapped = 0

    # ------------------------------------------------------------------ emission
    def _gap(self, out: list[Ln]) -> None:
        if self.o.blank_between and out and out[-1].kind != "blank":
            out.append(blank())

    def heading(self, out: list[Ln], text: str, kind: str, section: str | None) -> None:
        self._gap(out)
        out.append(Ln(text, "heading", kind, section=section))

    def para(self, out: list[Ln], text: str, section: str | None, themes: list[str] | None,
             kind: str = "para") -> None:
        """A narrative paragraph; recorded with its themes when `themes` is not None."""
        idx = self.doc.add_paragraph(section or "", themes) if themes is not None else -1
        self._gap(out)
        pieces = self._wrap(text) if self.o.wrap and self.rng.random() < self.o.wrap else [text]
        self.wrapped += len(pieces) > 1
        for i, piece in enumerate(pieces):
            if i and self.o.wrap_blank:
                out.append(blank())
            out.append(Ln(piece, "narrative", kind, para=idx, section=section))

    def _wrap(self, text: str) -> list[str]:
        lo = text.rfind("**") + 2 if "**" in text else 0  # never split a bold run-in heading
        width = self.rng.randint(24, 60)  # a PDF line: breaks fall near multiples of the line width
        pieces, start = [], 0
        for _ in range(self.rng.choice((1, 1, 2))):
            ok = [c for c in range(max(lo, start + width - 6), min(len(text) - 4, start + width + 6))
                  if text[c - 1] not in TERMINAL and text[c] not in _NO_LINE_START]
            if not ok:
                break
            cut = self.rng.choice(ok)
            pieces.append(text[start:cut])
            start = cut
        return pieces + [text[start:]]

    # ------------------------------------------------------------------ parts
    def title(self) -> list[Ln]:
        rng, c, out = self.rng, self.comp, []
        r = rng.random()
        if r < 0.6:
            self.heading(out, c.fill(rng.choice(M.TITLE_FORMS)), "title", None)
        else:
            if r > 0.9:
                self.heading(out, c.fill(M.TITLE_FORMS[3]), "title", None)
            self.heading(out, c.issuer.full, "title", None)
            self.heading(out, c.fill(rng.choice(M.SECOND_LINE_FORMS)), "title", None)
        return out

    def preamble(self) -> list[Ln]:
        out: list[Ln] = []
        banks = [M.BASIS] + ([M.CONTENTS] if self.rng.random() < 0.4 else []) + [M.PERIOD]
        banks += [M.CONTACT] if self.rng.random() < 0.5 else []
        self.para(out, self.comp.meta(tuple(banks)), None, None, "preamble")
        return out

    def section_heading(self, key: str) -> list[Ln]:
        sd = next(s for s in SECTIONS if s.key == key)
        title = sd.title if self.rng.random() < 0.75 or not sd.variants else self.rng.choice(sd.variants)
        out: list[Ln] = []
        self.heading(out, f"{key}、{title}", "section", key)
        return out

    def table_prose(self, key: str) -> list[Ln]:
        out: list[Ln] = []
        self.para(out, self.rng.choice(M.TABLE_PROSE), key, None, "prose")
        return out

    def _number(self, form: str, i: int) -> str:
        return form.format(cn=ORDINALS[i], ar=i + 1)

    def _runin(self, head: str, body: str) -> str:
        return f"**{head}**{body}" if self.o.bold and self.rng.random() < 0.6 else head + body

    def section1(self) -> list[Ln]:
        rng, c, o = self.rng, self.comp, self.o
        out = self.section_heading(SECTIONS[0].key)
        key = SECTIONS[0].key
        if rng.random() < 0.15:  # report basis and statistics period written as section-一 paragraphs (004)
            self.para(out, c.meta((M.BASIS, M.CONTENTS)), key, [])
            if rng.random() < 0.5:
                self.para(out, c.meta((M.PERIOD, M.CONTACT)), key, [])
        if rng.random() < 0.65:
            self._intro(out, key)
        if rng.random() < 0.6:
            subs = list(OFFICIAL_SUBSECTIONS)
        else:
            pool = [t for t in THEMES if t in M.TITLES]  # every theme but fees has subsection titles
            subs = sorted(rng.sample(pool, rng.randint(2, 5)), key=pool.index)
        for i, theme in enumerate(subs):
            title = c.pick(M.TITLES[theme])
            if o.sub_style == "standalone":
                stop = "。" if o.heading_stop else ""
                head = f"{self._number(o.sub_number, i)}{title}{stop}"
                if len(head) >= 12 and rng.random() < 0.15:  # a long heading wrapped: both halves are heading
                    cut = rng.randint(len(head) - 4, len(head) - 2)
                    self.heading(out, head[:cut], "sub", key)
                    out.append(Ln(head[cut:], "heading", "sub_rest", section=key))
                else:
                    self.heading(out, head, "sub", key)
                if rng.random() < 0.15 and theme in M.ITEM_TITLES:
                    self.items(out, key, theme)
                else:
                    for _ in range(1 if rng.random() < 0.75 else 2):
                        text, themes = c.paragraph(theme)
                        self.para(out, text, key, themes)
            elif o.sub_style == "runin":
                text, themes = c.paragraph(theme)
                self.para(out, self._runin(f"{self._number(o.runin_number, i)}{title}。", text), key, themes)
            else:
                text, themes = c.paragraph(theme)
                self.para(out, text, key, themes)
        return out

    def _intro(self, out: list[Ln], key: str) -> None:
        text, themes = self.comp.intro()
        self.para(out, text, key, themes)

    def items(self, out: list[Ln], key: str, theme: str, n: int | None = None) -> None:
        """Numbered run-in items, each its own paragraph: `1.加强基本信息公开。…`."""
        rng, c = self.rng, self.comp
        others = [t for t in M.ITEM_TITLES if t != theme]
        count = n or rng.randint(2, 3)
        picked = [theme] + rng.sample(others, count - 1) if rng.random() < 0.5 else [theme] * count
        dot = rng.choice((".", ". ", "、", "．"))
        for i, t in enumerate(picked):
            sents, themes = c.body(t, rng.randint(1, 3), 0.2)
            title = c.pick(M.ITEM_TITLES[t]) + "。"
            bold = self.o.bold and rng.random() < 0.6
            self.para(out, f"{i + 1}{dot}" + (f"**{title}**" if bold else title) + "".join(sents), key, themes)
