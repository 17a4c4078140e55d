"""Corruptions that act on table rows before they are rendered: each returns a note when it changed something.

They mirror what the gold notes describe: a group printed blank (003's 行政复议 → null), all-zero rows that
print 6 of their 7 numbers (003 → the identity forces the missing 0, marked inferred), group labels on the wrong
row (001 lines 66-67), labels pushed into the first column (002 lines 71-72), merged-cell empties dropped, and
header words split over two lines (000: 商业 / 企业).
"""
from __future__ import annotations

import random

from gazette_nlp.template import APPLICANT_COLUMNS, SPLIT_HEADER_WORDS

from .tables import Field, Row

_SPLITS: dict[str, list[tuple[str, str]]] = {}
for _a, _b in SPLIT_HEADER_WORDS:
    _SPLITS.setdefault(_a + _b, []).append((_a, _b))


def _data(rows: list[Row], table: str) -> list[Row]:
    return [r for r in rows if r.table == table and r.kind == "data"]


def printed_blank(rows: list[Row], rng: random.Random) -> str | None:
    options: list[tuple[str, list[Field]]] = []
    for r in _data(rows, "t4"):
        vals = r.values
        per = len(vals) // 3
        for g in range(3):
            options += [("t4", vals[g * per:(g + 1) * per])] * 3
    for r in _data(rows, "t3"):
        vals = [f for f in r.values if f.cell]
        if len(vals) == len(APPLICANT_COLUMNS) + 1:
            options.append(("t3", vals[:len(APPLICANT_COLUMNS)]))
    for r in _data(rows, "t2"):
        options += [("t2", [f]) for f in r.values if f.cell]
    options = [(t, fs) for t, fs in options if fs and all(f.cell and not f.blank for f in fs)]
    if not options:
        return None
    table, fields = rng.choice(options)
    for f in fields:
        f.text, f.blank = "", True
    return f"{len(fields)} {table} cells printed blank ({fields[0].cell} …) → null"


def dropped_column(rows: list[Row], rng: random.Random) -> str | None:
    data = _data(rows, "t3")
    zero = [all(f.text == "0" and f.cell for f in r.values) and len(r.values) == len(APPLICANT_COLUMNS) + 1
            for r in data]
    runs: list[list[Row]] = []
    prev = -2
    for i, z in enumerate(zero):
        if z:
            if i == prev + 1:
                runs[-1].append(data[i])
            else:
                runs.append([data[i]])
            prev = i
    if not runs:
        return None
    run = rng.choice(runs)
    length = rng.randint(1, len(run))
    start = rng.randint(0, len(run) - length)
    col = rng.randrange(len(APPLICANT_COLUMNS) + 1)
    for r in run[start:start + length]:
        f = r.values[col]
        r.fields.remove(f)
        r.inferred.append(f.cell)
    first, last = run[start].key, run[start + length - 1].key
    return f"{length} all-zero t3 rows ({first} … {last}) print 6 of 7 numbers; the dropped cell is forced to 0"


def shifted_labels(rows: list[Row], rng: random.Random) -> str | None:
    data = _data(rows, "t3")
    done: list[str] = []
    firsts = [i for i, r in enumerate(data[:-1]) if len(r.fields) > 2 and not r.fields[0].text and r.fields[1].text
              and not r.fields[1].value and not r.fields[2].value and r.fields[2].text
              and len(data[i + 1].fields) > 2 and not data[i + 1].fields[1].text and not data[i + 1].fields[0].text]
    if firsts and rng.random() < 0.6:
        i = rng.choice(firsts)
        group = data[i].fields.pop(1)
        nxt = data[i + 1]
        del nxt.fields[0]
        nxt.fields[0] = group
        done.append(f"group label {group.text!r} moved from row {data[i].key} to row {nxt.key}")
    pushable = [r for r in data if len(r.fields) > 1 and not r.fields[0].text and not r.fields[0].value]
    if pushable and (not done or rng.random() < 0.5):
        for r in rng.sample(pushable, min(len(pushable), rng.randint(1, 3))):
            lead = 0
            while lead < len(r.fields) and not r.fields[lead].text and not r.fields[lead].value:
                lead += 1
            if lead >= len(r.fields) or r.fields[lead].value:
                continue
            label = r.fields[lead]
            r.fields[:lead + 1] = [label, Field("")]
            done.append(f"label of row {r.key} pushed into the first column")
    return "; ".join(done) or None


def dropped_blank_cells(rows: list[Row], rng: random.Random) -> str | None:
    changed = 0
    for r in rows:
        empties = [f for f in r.fields if not f.text and not f.value]
        if not empties or rng.random() > 0.3:
            continue
        drop = [f for f in empties if rng.random() < 0.75]
        if drop:
            r.fields = [f for f in r.fields if f not in drop]
            changed += 1
    return f"empty merged-cell fields dropped in {changed} rows" if changed else None


def split_headers(rows: list[Row], rng: random.Random, newline: bool) -> str | None:
    n = 0
    for r in rows:
        for f in r.fields:
            if f.value or not f.text:
                continue
            if r.kind == "header" and f.text in _SPLITS and rng.random() < 0.75:
                a, b = rng.choice(_SPLITS[f.text])
                if newline:
                    f.text = f"{a}\n{b}"
                elif len(f.text) <= 4 and rng.random() < 0.3:
                    f.text = " ".join(f.text)
                else:
                    f.text = f"{a} {b}"
                n += 1
            elif newline and r.kind == "data" and len(f.text) >= 18 and rng.random() < 0.3:
                cut = rng.randint(len(f.text) // 3, 2 * len(f.text) // 3)
                f.text = f.text[:cut] + "\n" + f.text[cut:]
                n += 1
    return f"{n} header words / labels split{' over two lines' if newline else ' by spaces'}" if n else None
