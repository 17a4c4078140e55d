"""`CellTagger`: a small BERT token classifier, trained from scratch, that names the template cell of every
number printed in the table region (or `O`: numbering, a page number, a 2019-template cell).

Input is what a reader sees, in extraction order: the table region's token stream (`stream.token_stream`, the
same reading front end as the rule-structured aligner) turned into one sequence of pieces —

- every character of the normalised label and header words (whitespace dropped, traditional characters mapped
  to simplified, labels longer than `label_chars` cut to their head and tail around `[CUT]`), `[FS]` between
  two labels of one line,
- each number collapsed to `[NUM]` (`[GNUM]` when it was glued to its label), each empty field `[BLANK]`,
- per line: `[TAB]` / `[PIPE]` for a line laid out with tabs / pipes, `[NL]` at its end, `[BL]` for a blank line
  (at most two in a row: a page break leaves more), `[SKIP]` for page furniture, `[PROSE]` for a run of prose
  lines and `[SEC二]` … for a section heading.

Output per number: a probability over the 200 cell ids and `O`. Long regions are read in windows of
`max_len` pieces that overlap by `overlap`; a number takes the prediction of the window where it sits farthest
from an edge. `tagger_decode.decode_tags` turns the predictions into cells under the template's constraints.

The vocabulary is a plain `vocab.txt` (one piece per line, BERT layout) read into a dict: the pieces are
already split, so no tokenizer runs at inference.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .. import template as T
from ..errors import ModelError
from ..model import Number, Report
from ..paths import model_path
from ..sections import heading_key
from .numbers import Token, _t2s_chars
from .stream import table_zone, token_stream

O = "O"
LABELS: tuple[str, ...] = (O,) + T.CELL_IDS  # class index 0 is O
LABEL_INDEX = {lab: i for i, lab in enumerate(LABELS)}
IGNORE = -100  # label of pieces the loss skips

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
NUM, GNUM, BLANK, NL, BL, TAB, PIPE, SKIP, PROSE, CUT, FS = (
    "[NUM]", "[GNUM]", "[BLANK]", "[NL]", "[BL]", "[TAB]", "[PIPE]", "[SKIP]", "[PROSE]", "[CUT]", "[FS]")
SECTION_MARKS = tuple(f"[SEC{k}]" for k in T.SECTION_KEYS) + ("[SEC]",)
SPECIALS: tuple[str, ...] = (PAD, UNK, CLS, SEP, MASK, NUM, GNUM, BLANK, NL, BL, TAB, PIPE, SKIP, PROSE, CUT, FS) \
    + SECTION_MARKS
NUMBER_PIECES = frozenset((NUM, GNUM))

DEFAULTS: dict[str, Any] = {"max_len": 512, "overlap": 128, "label_chars": 10, "top_k": 5, "run_cap": 16}


# ------------------------------------------------------------------ features
@dataclass
class Features:
    """The model input of one report: pieces, and where the numbers are among them."""

    pieces: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of every piece
    runs: list[int] = field(default_factory=list)  # per piece: a number's place in its run (1, 2, …), else 0
    nums: list[int] = field(default_factory=list)  # positions of the number pieces
    tokens: list[Token] = field(default_factory=list)  # the stream token of each number (line, raw, value)
    stream: list[Token] = field(default_factory=list)  # the whole stream (the decoder reads blanks from it)
    zone: tuple[int, int] = (0, 0)


def label_pieces(text: str, limit: int) -> list[str]:
    chars = [c for c in text.translate(_t2s_chars()) if not c.isspace()]
    if len(chars) > limit:
        tail = max(2, limit // 4)
        chars = chars[:limit - tail - 1] + [CUT] + chars[-tail:]
    return chars


def features(report: Report, label_chars: int = DEFAULTS["label_chars"], run_cap: int = DEFAULTS["run_cap"]
             ) -> Features:
    """The table region of `report` as model pieces (see the module docstring)."""
    lo, hi = table_zone(report)
    stream = token_stream(report, lo, hi)
    by_line: dict[int, list[Token]] = {}
    for t in stream:
        by_line.setdefault(t.line, []).append(t)
    f = Features(stream=stream, zone=(lo, hi))

    def add(piece: str, n: int, run: int = 0) -> None:
        f.pieces.append(piece)
        f.lines.append(n)
        f.runs.append(run)

    blank_run = 0
    run = 0  # numbers since the last label
    for n in range(lo, hi + 1):
        toks = by_line.get(n)
        line = report.line(n)
        if not toks:
            if line.blank:
                blank_run += 1
                if blank_run <= 2:
                    add(BL, n)
            elif f.pieces and f.pieces[-1] != SKIP:
                add(SKIP, n)  # page furniture
            continue
        blank_run = 0
        if toks[0].kind == "barrier":
            if toks[0].text == "heading":
                key = heading_key(line.norm)
                add(f"[SEC{key}]" if key in T.SECTION_KEYS else "[SEC]", n)
            elif not f.pieces or f.pieces[-1] != PROSE:
                add(PROSE, n)
            continue
        if "\t" in line.text:
            add(TAB, n)
        elif "|" in line.text:
            add(PIPE, n)
        prev = ""
        for t in toks:
            if t.kind == "label":
                run = 0
                if prev == "label":
                    add(FS, n)
                for c in label_pieces(t.text, label_chars):
                    add(c, n)
            elif t.kind == "blank":
                add(BLANK, n)
            elif t.kind == "num":
                f.nums.append(len(f.pieces))
                f.tokens.append(t)
                run += 1
                add(GNUM if t.glued else NUM, n, min(run, run_cap))
            prev = t.kind
        add(NL, n)
    return f


def windows(length: int, max_len: int, overlap: int, shift: int = 0) -> list[tuple[int, int]]:
    """[start, end) spans of at most `max_len - 2` pieces (room for [CLS] / [SEP]) covering `length`, each
    overlapping the next by at least `overlap`. `shift` (< the window size) moves the grid right; a first window
    from 0 still covers the head. The last window is full size, ending at `length`: a short tail window would
    lose the column headers far above its numbers (measured: cell accuracy 1.000 → 0.990 on held-out reports)."""
    size = max_len - 2
    if length <= size:
        return [(0, length)]
    step = max(1, size - overlap)
    starts = list(range(shift, length - size + 1, step))
    out = [(0, size)] if shift else []
    out += [(s, s + size) for s in starts if not out or s > out[-1][0]]
    if out[-1][1] < length:
        out.append((length - size, length))
    return out


@dataclass
class Encoded:
    """The compact training form of one report: piece ids, run places and labels (IGNORE except at numbers)
    as numpy arrays, and where its table rows start (a row: a line that opens with a label, and the label-less
    lines after it)."""

    ids: Any
    runs: Any
    labels: Any
    rows: list[int]


def _drop_rows(enc: Encoded, rng: Any, label_from: int, numbers: tuple[int, ...], also_labels: tuple[int, ...],
               cap: int, most: int = 6) -> Encoded:
    """Training augmentation: the report with a run of 1…`most` table rows cut out, as a page break loses them.
    Teaches the tagger to read the row labels rather than count rows from the table header. Pieces with ids
    ≥ `label_from` or in `also_labels` are label pieces (they restart a run); `numbers` are the number ids."""
    import numpy as np

    if len(enc.rows) < 4:
        return enc
    i = rng.randrange(1, len(enc.rows) - 1)
    j = min(len(enc.rows) - 1, i + rng.randint(1, most))
    a, b = enc.rows[i], enc.rows[j]
    ids = np.concatenate([enc.ids[:a], enc.ids[b:]])
    runs = np.zeros_like(enc.runs[:len(ids)])
    run = 0
    for k, x in enumerate(ids.tolist()):
        if x >= label_from or x in also_labels:
            run = 0
        elif x in numbers:
            run += 1
            runs[k] = min(run, cap)
    rows = [r for r in enc.rows if r < a] + [r - (b - a) for r in enc.rows if r >= b]
    return Encoded(ids, runs, np.concatenate([enc.labels[:a], enc.labels[b:]]), rows)


# ------------------------------------------------------------------ vocabulary
def build_vocab(texts: Iterable[str], min_count: int = 2) -> list[str]:
    """Specials, every character of the template's labels, then the characters of the training `texts` seen at
    least `min_count` times, as label pieces read them (normalised, simplified), by frequency."""
    from collections import Counter

    from ..textnorm import normalise

    words = list(T.table_vocabulary()) + [c.label for c in T.CELLS] + [s.title for s in T.SECTIONS]
    template = {c for w in words for c in label_pieces(normalise(w), 10 ** 6)} | set("0123456789")
    count: Counter[str] = Counter()
    for t in texts:
        count.update(label_pieces(normalise(t), 10 ** 9))
    keep = [c for c, k in sorted(count.items(), key=lambda kv: (-kv[1], kv[0])) if k >= min_count or c in template]
    return list(SPECIALS) + [c for c in dict.fromkeys(keep + sorted(template)) if c not in SPECIALS]


def read_vocab(path: str | Path) -> dict[str, int]:
    words = Path(path).read_text(encoding="utf-8").split("\n")
    return {w: i for i, w in enumerate(w for w in words if w)}


def unk_rate(pieces: Sequence[str], vocab: dict[str, int]) -> float:
    chars = [p for p in pieces if p not in SPECIALS]
    return sum(p not in vocab for p in chars) / len(chars) if chars else 0.0


# ------------------------------------------------------------------ predictions
class Tagged(NamedTuple):
    """One number of the table region: its line, printed text, value, and top-k {cell id or 'O': prob}."""

    line: int
    raw: str
    value: Number | None
    probs: dict[str, float]


@dataclass
class Tagging:
    """Everything the decoder needs: the features, the numbers' top-k, and the full (numbers × LABELS)
    probability matrix."""

    features: Features
    tagged: list[Tagged]
    probs: Any  # numpy array


class CellTagger:
    """Template cell of every printed number of the table region. `fit` / `predict` / `save` / `load`."""

    def __init__(self, vocab: Sequence[str] | None = None, settings: dict[str, Any] | None = None,
                 model: Any = None, session: Any = None, **config: Any) -> None:
        self.settings = {**DEFAULTS, **(settings or {})}
        self.vocab_list = list(vocab) if vocab is not None else build_vocab(())
        self.vocab = {w: i for i, w in enumerate(self.vocab_list)}
        # inference runs on `session` (onnxruntime) when the model was loaded from its ONNX export, else on the
        # torch `model` (training, and a model saved without an export)
        self.session = session
        # an export made before the `positions` input gives every piece's logits, which are gathered here
        self.reads_positions = session is not None and any(i.name == "positions" for i in session.get_inputs())
        self.model = model if model is not None or session is not None else self._new_model(**config)

    # ------------------------------------------------------------ model
    def _new_model(self, layers: int = 3, hidden: int = 192, heads: int = 4, intermediate: int = 512,
                   dropout: float = 0.1, seed: int = 0) -> Any:
        import torch
        from transformers import BertConfig, BertForTokenClassification

        torch.manual_seed(seed)
        cfg = BertConfig(vocab_size=len(self.vocab_list), hidden_size=hidden, num_hidden_layers=layers,
                         num_attention_heads=heads, intermediate_size=intermediate,
                         hidden_dropout_prob=dropout, attention_probs_dropout_prob=dropout,
                         max_position_embeddings=self.settings["max_len"],
                         type_vocab_size=self.settings["run_cap"] + 1,
                         num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
                         label2id=dict(LABEL_INDEX), pad_token_id=self.vocab[PAD])
        return BertForTokenClassification(cfg)

    @property
    def n_params(self) -> int:
        if self.model is None:
            raise ModelError("parameters are counted on the torch model: load it with runtime='torch'")
        return sum(p.numel() for p in self.model.parameters())

    # ------------------------------------------------------------ features → tensors
    def features(self, report: Report) -> Features:
        return features(report, self.settings["label_chars"], self.settings["run_cap"])

    def encode(self, pieces: Sequence[str]) -> list[int]:
        unk = self.vocab[UNK]
        return [self.vocab.get(p, unk) for p in pieces]

    def encoded(self, feats: Features, labels: Sequence[int] | None = None) -> Encoded:
        """The compact form of one report (`labels`: a label index per number, or IGNORE)."""
        import numpy as np

        lab = np.full(len(feats.pieces), IGNORE, dtype=np.int16)
        if labels is not None:
            lab[feats.nums] = labels
        rows, prev = [], None
        for k, (p, n) in enumerate(zip(feats.pieces, feats.lines)):
            if n != prev:
                first = next((q for q, m in zip(feats.pieces[k:k + 3], feats.lines[k:k + 3])
                              if m == n and q not in (TAB, PIPE)), None)
                if first is not None and (first not in SPECIALS or first in (CUT, FS)):
                    rows.append(k)
                prev = n
        return Encoded(np.array(self.encode(feats.pieces), dtype=np.int32), np.array(feats.runs, dtype=np.int8),
                       lab, rows)

    def examples(self, enc: Encoded, shift: int = 0, labelled: bool = False) -> list[tuple[Encoded, int, int]]:
        """The windows of one report, as (report, start, end); with `labelled`, only windows holding a label."""
        spans = windows(len(enc.ids), self.settings["max_len"], self.settings["overlap"], shift)
        if labelled:
            spans = [(a, b) for a, b in spans if (enc.labels[a:b] != IGNORE).any()]
        return [(enc, a, b) for a, b in spans]

    def _arrays(self, chunk: Sequence[tuple[Encoded, int, int]], labels: bool = False) -> dict[str, Any]:
        """Padded int64 arrays of windows: [CLS] pieces [SEP]."""
        import numpy as np

        width = max(b - a for _, a, b in chunk) + 2
        out = {"input_ids": np.full((len(chunk), width), self.vocab[PAD], dtype=np.int64),
               "token_type_ids": np.zeros((len(chunk), width), dtype=np.int64),
               "attention_mask": np.zeros((len(chunk), width), dtype=np.int64)}
        if labels:
            out["labels"] = np.full((len(chunk), width), IGNORE, dtype=np.int64)
        for r, (enc, a, b) in enumerate(chunk):
            m = b - a
            out["input_ids"][r, 0], out["input_ids"][r, m + 1] = self.vocab[CLS], self.vocab[SEP]
            out["input_ids"][r, 1:m + 1] = enc.ids[a:b]
            out["token_type_ids"][r, 1:m + 1] = enc.runs[a:b]
            out["attention_mask"][r, :m + 2] = 1
            if labels:
                out["labels"][r, 1:m + 1] = enc.labels[a:b]
        return out

    def _batch(self, chunk: Sequence[tuple[Encoded, int, int]], labels: bool = False) -> dict[str, Any]:
        """The same windows as torch tensors (training and the torch runtime)."""
        import torch

        return {k: torch.from_numpy(v) for k, v in self._arrays(chunk, labels).items()}

    def _logits(self, chunk: Sequence[tuple[Encoded, int, int]], at: Any) -> Any:
        """Logits (windows × P × LABELS) of the pieces at `at` (windows × P, indices into [CLS] pieces [SEP])."""
        import numpy as np

        arrays = self._arrays(chunk)
        if self.session is not None:
            if self.reads_positions:
                return self.session.run(["logits"], {**arrays, "positions": at})[0]
            logits = self.session.run(["logits"], arrays)[0]  # an export from before `positions`
        else:
            import torch

            with torch.inference_mode():
                logits = self.model(**self._batch(chunk)).logits.numpy()
        return np.take_along_axis(logits, at[:, :, None], axis=1)

    # ------------------------------------------------------------ inference
    def probabilities(self, feats: Features, batch_size: int = 16) -> Any:
        """(numbers × LABELS) softmax probabilities (numpy), each number read from the window where it sits
        farthest from an edge (the first such window on a tie). A window holding no number is not run, and a
        window is asked only for the numbers read from it: nothing else could change the result."""
        import numpy as np

        out = np.zeros((len(feats.nums), len(LABELS)), dtype=np.float32)
        if not feats.nums:
            return out
        enc = self.encoded(feats)
        nums = np.asarray(feats.nums)
        spans = np.array([(a, b) for _, a, b in self.examples(enc)])
        margin = np.minimum(nums[None, :] - spans[:, :1], spans[:, 1:] - 1 - nums[None, :])
        owner = np.where(margin >= 0, margin, -1).argmax(0)  # argmax: the first window on a tie
        exs = [(enc, int(a), int(b)) for a, b in spans]
        if self.model is not None:
            self.model.eval()
        used = sorted(set(owner.tolist()))
        for i in range(0, len(used), batch_size):
            chunk = used[i:i + batch_size]
            read = [np.flatnonzero(owner == w) for w in chunk]
            at = np.zeros((len(chunk), max(len(r) for r in read)), dtype=np.int64)
            for r, (w, ks) in enumerate(zip(chunk, read)):
                at[r, :len(ks)] = nums[ks] - spans[w, 0] + 1  # + 1: [CLS]
            logits = self._logits([exs[w] for w in chunk], at)
            for r, ks in enumerate(read):
                z = logits[r, :len(ks)]
                z = np.exp(z - z.max(-1, keepdims=True))
                out[ks] = z / z.sum(-1, keepdims=True)
        return out

    def tag(self, report: Report) -> Tagging:
        feats = self.features(report)
        p = self.probabilities(feats)
        k = self.settings["top_k"]
        tagged = []
        tops = p.argsort(axis=1)[:, ::-1][:, :k]  # each row sorted as row.argsort() sorts it
        for t, row, top in zip(feats.tokens, p, tops):
            tagged.append(Tagged(t.line, t.raw or t.text, t.value, {LABELS[j]: float(row[j]) for j in top}))
        return Tagging(feats, tagged, p)

    def predict(self, report: Report) -> list[Tagged]:
        """Per printed number of the table region: (line n, raw text, value, {cell id or 'O': prob}) top-k."""
        return self.tag(report).tagged

    # ------------------------------------------------------------ training
    def fit(self, data: Sequence[Encoded | tuple[Features, Sequence[int]]], epochs: int = 1,
            batch_size: int = 8, lr: float = 3e-3, weight_decay: float = 0.01, warmup: float = 0.05,
            seed: int = 0, drop_rows: float = 0.0, time_limit: float | None = None, log: Any = None
            ) -> dict[str, Any]:
        """Train on reports given as `Encoded` or (features, a label index per number; IGNORE to skip).

        Each epoch after the first shifts the window grid by a random offset, so numbers are seen in new
        contexts; with chance `drop_rows` a report is seen with a run of its rows cut out (`_drop_rows`).
        `time_limit` (seconds) stops early; returns a small training log."""
        import random
        import time

        import torch

        rng = random.Random(seed)
        torch.manual_seed(seed)
        encs = [d if isinstance(d, Encoded) else self.encoded(*d) for d in data]
        overlap, cap = self.settings["overlap"], self.settings["run_cap"]
        numbers = (self.vocab[NUM], self.vocab[GNUM])
        also = (self.vocab[CUT], self.vocab[FS])
        plan = []  # every epoch's batches, made up front so the schedule knows the number of steps
        for epoch in range(epochs):
            exs = []
            for enc in encs:
                if drop_rows and rng.random() < drop_rows:
                    enc = _drop_rows(enc, rng, len(SPECIALS), numbers, also, cap)
                exs += self.examples(enc, 0 if epoch == 0 else rng.randrange(overlap), labelled=True)
            rng.shuffle(exs)
            exs.sort(key=lambda e: (e[2] - e[1]) // 64)  # batches of similar length: less padding
            batches = [exs[i:i + batch_size] for i in range(0, len(exs), batch_size)]
            rng.shuffle(batches)
            plan.append(batches)
        total = max(1, sum(len(b) for b in plan))
        opt = torch.optim.AdamW(self.model.parameters(), lr=lr, weight_decay=weight_decay)
        warm = max(1, int(total * warmup))
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
        self.model.train()
        t0, step, losses, stopped = time.time(), 0, [], False
        for epoch, batches in enumerate(plan):
            for chunk in batches:
                loss = self.model(**self._batch(chunk, labels=True)).loss
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                opt.step()
                sched.step()
                opt.zero_grad()
                step += 1
                losses.append(loss.item())
                if log and step % 100 == 0:
                    log(f"epoch {epoch} step {step}/{total} loss {sum(losses[-100:]) / 100:.4f} "
                        f"{time.time() - t0:.0f}s")
                if time_limit and time.time() - t0 > time_limit:
                    stopped = True
                    break
            if stopped:
                break
        self.model.eval()
        return {"steps": step, "planned_steps": total, "epochs": epochs,
                "windows": sum(len(c) for b in plan for c in b),
                "final_loss": round(sum(losses[-100:]) / max(1, len(losses[-100:])), 4),
                "stopped_by_time_limit": stopped, "seconds": round(time.time() - t0, 1)}

    # ------------------------------------------------------------ persistence
    def save(self, path: str | Path, card: dict | None = None) -> None:
        """The torch weights (safetensors, for training on), their ONNX export (what `load` runs) and the vocabulary."""
        if self.model is None:
            raise ModelError("this tagger was loaded for inference only (ONNX); load it with runtime='torch' to save")
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        self.model.config.tagger = dict(self.settings)
        self.model.save_pretrained(p, safe_serialization=True)
        (p / "vocab.txt").write_text("\n".join(self.vocab_list) + "\n", encoding="utf-8")
        from .tagger_export import export_onnx

        export_onnx(self.model, p / ONNX_FILE)
        if card is not None:
            (p / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path | None = None, runtime: str = "auto") -> "CellTagger":
        """`runtime`: "onnx" (onnxruntime on the export: no torch import, the parse's default when the export is
        there), "torch" (the safetensors weights: for training on), or "auto"."""
        p = Path(path) if path is not None else model_path("cell_tagger")
        if not ((p / "config.json").is_file() and (p / "model.safetensors").is_file() and (p / "vocab.txt").is_file()):
            raise ModelError(f"no cell tagger at {p} (train one with `gazette-nlp train cells`)")
        vocab = [w for w in (p / "vocab.txt").read_text(encoding="utf-8").split("\n") if w]
        if runtime == "onnx" or (runtime == "auto" and (p / ONNX_FILE).is_file()):
            return cls._load_onnx(p, vocab)
        from transformers import BertForTokenClassification
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        try:
            model = BertForTokenClassification.from_pretrained(p, local_files_only=True)
        except Exception as e:  # a truncated or foreign file: one line, not a traceback
            raise ModelError(f"cannot load cell tagger {p}: {e}") from None
        _check_config(p, vocab, model.config.vocab_size, model.config.id2label)
        model.eval()
        return cls(vocab, getattr(model.config, "tagger", None), model)

    @classmethod
    def _load_onnx(cls, p: Path, vocab: list[str]) -> "CellTagger":
        import os

        import onnxruntime as ort

        try:
            config = json.loads((p / "config.json").read_text(encoding="utf-8"))
            opts = ort.SessionOptions()
            # one compute thread per worker when the batch asks for it (use_one_thread), as torch would
            threads = os.environ.get("OMP_NUM_THREADS")
            if threads and threads.isdigit():
                opts.intra_op_num_threads = int(threads)
                opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            session = ort.InferenceSession(str(p / ONNX_FILE), opts, providers=["CPUExecutionProvider"])
        except Exception as e:  # a truncated or foreign file: one line, not a traceback
            raise ModelError(f"cannot load cell tagger {p}: {e}") from None
        _check_config(p, vocab, config.get("vocab_size"), config.get("id2label", {}))
        return cls(vocab, config.get("tagger"), session=session)


ONNX_FILE = "model.onnx"


def _check_config(p: Path, vocab: list[str], vocab_size: Any, id2label: dict) -> None:
    if len(vocab) != vocab_size or tuple(id2label.get(i, id2label.get(str(i))) for i in range(len(LABELS))) != LABELS:
        raise ModelError(f"{p}: vocabulary or labels do not match the model")


@lru_cache(maxsize=2)
def default_tagger(path: str | None = None) -> CellTagger:
    return CellTagger.load(path)
