"""The facts' span tagger run on numpy arrays (`ArraySpanTagger`), without importing spaCy (about 0.4 s) or
loading its pipeline.

spaCy trains the `spancat` (span_tagger.py); for a report with an uncertain fact the parse would pay more for
spaCy than for everything else. The network is small and fixed — `HashEmbedCNN` (four hashed embeddings of NORM,
PREFIX, SUFFIX and SHAPE, a Maxout mixer, two residual window-1 Maxout layers), the span's last, first, mean and
max token vectors, a Maxout layer and a logistic output — so it is exported as its weights and computed here with
the operations thinc applies, in thinc's order: matrix products with BLIS (thinc's own `gemm`, so the sums
are the same), layer norms and sigmoids with the same numpy calls, and the sequence padding thinc inserts
between sentences. `tests/test_fact_arrays.py` checks the lexical attributes against spaCy's and the scores
against the pipeline's, value for value.
"""
from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import blis.py
import numpy as np

from ..errors import ModelError
from ..spacy_hashes import StringIds, thinc_hash
from .features import Site
from .span_inputs import SpanInput, scores_by_site, span_inputs

FORMAT = 1
ARRAYS = "arrays"  # the export's folder inside a span tagger's folder
FILES = ("spancat_arrays.json", "spancat_arrays.npz")
COLUMNS = ("NORM", "PREFIX", "SUFFIX", "SHAPE")


def word_shape(text: str) -> str:
    """spaCy's SHAPE (`spacy.lang.lex_attrs.word_shape`)."""
    if len(text) >= 100:
        return "LONG"
    shape: list[str] = []
    last, seq = "", 0
    for char in text:
        if char.isalpha():
            shape_char = "X" if char.isupper() else "x"
        elif char.isdigit():
            shape_char = "d"
        else:
            shape_char = char
        if shape_char == last:
            seq += 1
        else:
            seq, last = 0, shape_char
        if seq < 4:
            shape.append(shape_char)
    return "".join(shape)


@dataclass
class SpancatArrays:
    labels: list[str]
    embed: list[tuple[np.ndarray, int]]  # per column: (table, seed)
    mix: tuple[np.ndarray, ...]  # Maxout W, b, LayerNorm G, b
    encoder: list[tuple[np.ndarray, ...]]  # per residual layer, the same four
    hidden: tuple[np.ndarray, ...]
    out_W: np.ndarray
    out_b: np.ndarray
    norm_exceptions: dict[str, str]  # spaCy's BASE_NORMS: NORM = this table, else the lower-cased word
    symbols: dict[str, int]  # spaCy's symbol ids, for the few strings that have one
    window: int = 1
    pad: int = 2
    _id: StringIds = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._id = StringIds(self.symbols)

    # ------------------------------------------------------------ features
    def features(self, unit: SpanInput) -> np.ndarray:
        """(tokens × 4) uint64: the ids of NORM, PREFIX, SUFFIX and SHAPE (`Doc.to_array`)."""
        rows = []
        for word, norm in zip(unit.words, unit.norms):
            if norm is None:
                norm = self.norm_exceptions.get(word, word.lower())
            rows.append((self._id(norm), self._id(word[0]), self._id(word[-3:]), self._id(word_shape(word))))
        return np.array(rows, dtype=np.uint64).reshape(-1, 4)

    # ------------------------------------------------------------ the network
    def scores(self, units: Sequence[SpanInput]) -> np.ndarray:
        """(spans × labels) probabilities, the spans of `units` in order: one batch, as spaCy's `predict`."""
        n_spans = sum(len(u.spans) for u in units)
        if not n_spans:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        ids = np.concatenate([self.features(u) for u in units])
        parts = []
        for c, (table, seed) in enumerate(self.embed):
            keys = thinc_hash(np.ascontiguousarray(ids[:, c]), seed) % table.shape[0]
            out = np.zeros((len(ids), table.shape[1]), dtype=np.float32)
            for k in range(keys.shape[1]):
                out += table[keys[:, k]]
            parts.append(out)
        X = _maxout_norm(np.hstack(parts), *self.mix)
        # the encoder runs on the sentences flattened with `pad` zero rows before, between and after them
        lengths = [len(u.words) for u in units]
        bounds = np.cumsum([0] + lengths)
        pieces = []
        for a, b in zip(bounds[:-1], bounds[1:]):
            pieces += [np.zeros((self.pad, X.shape[1]), dtype=X.dtype), X[a:b]]
        flat = np.concatenate(pieces + [np.zeros((self.pad, X.shape[1]), dtype=X.dtype)])
        for layer in self.encoder:
            flat = flat + _maxout_norm(_seq2col(flat, self.window), *layer)
        starts = [self.pad * (i + 1) + a for i, a in enumerate(bounds[:-1])]
        tokens = np.concatenate([flat[s:s + n] for s, n in zip(starts, lengths)])
        spans = np.array([(a + bounds[i], b + bounds[i]) for i, u in enumerate(units) for a, b in u.spans])
        reduced = np.empty((len(spans), 4 * tokens.shape[1]), dtype=np.float32)
        width = tokens.shape[1]
        for r, (a, b) in enumerate(spans):
            seg = tokens[a:b]
            mean = np.zeros(width, dtype=np.float32)
            scale = np.float32(1.0 / (b - a))
            for row in seg:  # thinc's reduce_mean: += scale * row, row by row
                mean += scale * row
            reduced[r] = np.concatenate([seg[-1], seg[0], mean, seg.max(axis=0)])
        H = _maxout_norm(reduced, *self.hidden)
        Z = blis.py.gemm(np.ascontiguousarray(H), self.out_W, trans2=True, beta=0.0)
        Z += self.out_b
        Z = np.clip(Z, -20.0, 20.0)
        return 1.0 / (1.0 + np.exp(-Z))

    # ------------------------------------------------------------ export and persistence
    @classmethod
    def from_nlp(cls, nlp: Any, component: str = "spancat") -> "SpancatArrays":
        """Export a trained pipeline's spancat (`spacy.SpanCategorizer.v1` over `spacy.HashEmbedCNN.v2` with
        `spacy.mean_max_reducer.v1` and `spacy.LinearLogistic.v1`); anything else raises ValueError."""
        from spacy.lang.norm_exceptions import BASE_NORMS
        from spacy.symbols import IDS

        cfg = nlp.config["components"][component]["model"]
        tok2vec = cfg["tok2vec"]
        if (cfg.get("@architectures"), tok2vec.get("@architectures"), cfg["reducer"].get("@layers"),
                cfg["scorer"].get("@layers")) != ("spacy.SpanCategorizer.v1", "spacy.HashEmbedCNN.v2",
                                                  "spacy.mean_max_reducer.v1", "spacy.LinearLogistic.v1"):
            raise ValueError(f"no array export for this spancat: {dict(cfg)}")
        if not tok2vec.get("subword_features", True) or tok2vec.get("pretrained_vectors"):
            raise ValueError("the array export needs subword features and no pretrained vectors")
        model = nlp.get_pipe(component).model
        nodes = list(model.walk(order="dfs_pre"))  # the layers in the order data flows through them
        embeds = [n for n in nodes if n.name == "hashembed"]
        if [n.attrs["column"] for n in embeds] != [0, 1, 2, 3] or \
                list(next(n for n in nodes if n.name == "extract_features").attrs["columns"]) != list(COLUMNS):
            raise ValueError("the array export expects hashed NORM, PREFIX, SUFFIX, SHAPE")
        maxouts = [n for n in nodes if n.name == "maxout"]
        norms = [n for n in nodes if n.name == "layernorm"]
        linear = next(n for n in nodes if n.name == "linear")

        def block(i: int) -> tuple[np.ndarray, ...]:
            return tuple(np.asarray(a, dtype=np.float32) for a in (
                maxouts[i].get_param("W"), maxouts[i].get_param("b"), norms[i].get_param("G"),
                norms[i].get_param("b")))

        return cls(labels=list(nlp.get_pipe(component).labels),
                   embed=[(np.asarray(n.get_param("E"), dtype=np.float32), int(n.attrs["seed"])) for n in embeds],
                   mix=block(0), encoder=[block(i) for i in range(1, len(maxouts) - 1)], hidden=block(-1),
                   out_W=np.asarray(linear.get_param("W"), dtype=np.float32),
                   out_b=np.asarray(linear.get_param("b"), dtype=np.float32),
                   norm_exceptions=dict(BASE_NORMS), symbols={s: int(i) for s, i in IDS.items() if s},
                   window=int(tok2vec.get("window_size", 1)))

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {f"embed{c}": t for c, (t, _) in enumerate(self.embed)}
        for name, blk in [("mix", self.mix), ("hidden", self.hidden)] + [(f"enc{i}", b) for i, b in
                                                                          enumerate(self.encoder)]:
            arrays.update({f"{name}_{k}": a for k, a in zip(("W", "b", "G", "gb"), blk)})
        np.savez_compressed(folder / FILES[1], out_W=self.out_W, out_b=self.out_b, **arrays)
        meta = {"format": FORMAT, "labels": self.labels, "seeds": [s for _, s in self.embed],
                "layers": len(self.encoder), "window": self.window, "pad": self.pad,
                "norm_exceptions": self.norm_exceptions, "symbols": self.symbols}
        (folder / FILES[0]).write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: str | Path) -> "SpancatArrays":
        folder = Path(folder)
        meta = json.loads((folder / FILES[0]).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"unknown span tagger array format {meta.get('format')!r}")
        with np.load(folder / FILES[1]) as z:
            a = {k: z[k] for k in z.files}

        def block(name: str) -> tuple[np.ndarray, ...]:
            return tuple(a[f"{name}_{k}"] for k in ("W", "b", "G", "gb"))

        return cls(labels=meta["labels"], embed=[(a[f"embed{c}"], s) for c, s in enumerate(meta["seeds"])],
                   mix=block("mix"), encoder=[block(f"enc{i}") for i in range(meta["layers"])],
                   hidden=block("hidden"), out_W=a["out_W"], out_b=a["out_b"],
                   norm_exceptions=meta["norm_exceptions"], symbols=meta["symbols"], window=meta["window"],
                   pad=meta["pad"])


def _maxout_norm(X: np.ndarray, W: np.ndarray, b: np.ndarray, G: np.ndarray, gb: np.ndarray) -> np.ndarray:
    """thinc's Maxout (BLIS gemm, + bias, max over pieces) followed by its LayerNorm, in thinc's operations."""
    n_out, pieces, n_in = W.shape
    Y = blis.py.gemm(np.ascontiguousarray(X), W.reshape(n_out * pieces, n_in), trans2=True, beta=0.0)
    Y += b.reshape(n_out * pieces)
    Y = Y.reshape(len(Y), n_out, pieces).max(axis=2)
    mu = Y.mean(axis=1, keepdims=True)
    var = Y.var(axis=1, keepdims=True) + 1e-08
    Y = (Y - mu) * var ** (-1.0 / 2.0)
    Y = Y * G
    Y += gb
    return Y


def _seq2col(X: np.ndarray, n: int) -> np.ndarray:
    """thinc's `seq2col` on one sequence: each row with its n neighbours on each side, zeros past the ends."""
    rows, width = X.shape
    out = np.zeros((rows, (2 * n + 1) * width), dtype=X.dtype)
    for k in range(-n, n + 1):
        col = (k + n) * width
        if k < 0:
            out[-k:, col:col + width] = X[:rows + k]
        elif k > 0:
            out[:rows - k, col:col + width] = X[k:]
        else:
            out[:, col:col + width] = X
    return out


def has_arrays(folder: str | Path) -> bool:
    return all((Path(folder) / ARRAYS / name).is_file() for name in FILES)


@dataclass
class ArraySpanTagger:
    arrays: SpancatArrays
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.arrays.labels)

    def scores(self, sites: Sequence[Site]) -> list[dict[str, float]]:
        """Per site, every label's probability: `SpanFactTagger.scores`, value for value."""
        if not sites:
            return []
        units, where = span_inputs(sites)
        return scores_by_site(self.arrays.scores(units), [len(u.spans) for u in units], where, self.labels)

    @classmethod
    def load(cls, folder: str | Path) -> "ArraySpanTagger":
        folder = Path(folder)
        try:
            data = json.loads((folder / "span_tagger.json").read_text(encoding="utf-8"))
            return cls(SpancatArrays.load(folder / ARRAYS), threshold=float(data.pop("threshold")), meta=data)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:  # a truncated or foreign file: one line
            raise ModelError(f"cannot load the span fact tagger {folder}: {e}") from None
