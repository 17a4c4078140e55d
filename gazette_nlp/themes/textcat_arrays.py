"""The theme textcat run on numpy arrays, without importing spaCy.

spaCy trains the sentence-level bag of words (architectures.py); to apply it, a report would pay for importing
spaCy and thinc (about 1 s) and loading a pipeline (about 0.5 s) — more than the rest of a one-report parse.
The model is a hashed sparse linear layer, so it is exported as its weight table plus the three hash functions
that spaCy and thinc apply, and scored here with the same arithmetic (`bow.py`), as the cell tagger is exported
to ONNX. `tests/test_theme_arrays.py` checks the hashes against spaCy's and thinc's and the probabilities
against the spaCy pipeline.

The hashes, as spaCy 3 / thinc 8 compute them:
* a token's key (`ORTH`): spaCy's symbol id for the few strings in its symbol table, else MurmurHash64A of its
  UTF-8 bytes, seed 1 (`spacy.strings.hash_string`);
* an n-gram's key: MurmurHash64A of the n token keys' bytes, seed 0 (`NumpyOps.ngrams`);
* a key's two rows in the weight table: MurmurHash3_x86_32 of its 8 bytes, seeds 0 and 1, modulo the table's
  length (`SparseLinear_v2`).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..spacy_hashes import StringIds, murmur3_32_u64, ngram_keys
from .bow import SEGMENT_SEP, batch_features, scale_values, sentence_features, sigmoid, smooth_max_pool

FORMAT = 1
ARCHITECTURE = "gazette_nlp.TextCatSentenceBOW.v1"


def doc_words(pieces: Sequence[str], text: str) -> list[str]:
    """The words of the `Doc` spaCy builds from a segmenter's pieces of `text`
    (`spacy.util.get_words_and_spaces`): white-space pieces dropped, one space after a word kept as that word's
    trailing space, any other white space between words becoming a word of its own."""
    out: list[str] = []
    pos = 0
    for word in pieces:
        if not word or word.isspace():
            continue
        start = text.index(word, pos)
        if start > pos:
            out.append(text[pos:start])
            pos = start
        out.append(word)
        pos += len(word)
        if pos < len(text) and text[pos] == " ":
            pos += 1
    if pos < len(text):
        out.append(text[pos:])
    return out


@dataclass
class TextcatArrays:
    """The exported textcat: labels, weight table (labels × length), bias and the feature settings."""

    labels: list[str]
    W: np.ndarray
    b: np.ndarray
    keep: np.ndarray  # cue-token keys left out of the length norm
    sep_key: int
    symbols: dict[str, int]
    ngram_size: int = 2
    sublinear: bool = True
    pool_r: float = 4.0
    batch_size: int = 256
    key: StringIds = field(init=False, repr=False)  # a word's key (ORTH)

    def __post_init__(self) -> None:
        self.key = StringIds(self.symbols)

    def predict(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        """Probabilities (documents × labels) for documents given as their words."""
        out = np.zeros((len(docs), len(self.labels)), dtype="f")
        for lo in range(0, len(docs), self.batch_size):
            batch = docs[lo:lo + self.batch_size]
            if any(len(d) for d in batch):  # spaCy's textcat scores an all-empty batch as zeros
                out[lo:lo + len(batch)] = self._forward(batch)
        return out

    def _forward(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        feats = [sentence_features(np.fromiter((self.key(w) for w in words), dtype=np.uint64, count=len(words)),
                                   self.ngram_size, self.sep_key, ngram_keys) for words in docs]
        (keys, vals, lens), n_segs = batch_features(feats)
        vals = scale_values(keys, vals, lens, self.keep, self.sublinear)
        Z = self._sparse_linear(keys, vals, lens)
        pooled, _ = smooth_max_pool(Z, n_segs, self.pool_r)
        return sigmoid(pooled)

    def _sparse_linear(self, keys: np.ndarray, vals: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """thinc's `SparseLinear_v2` forward: bias, then for each key in order its two rows × value added in
        float32 — in the same order, so that the sums round as thinc's do."""
        length = self.W.shape[1]
        Z = np.zeros((len(lens), len(self.labels)), dtype="f")
        Z += self.b
        if not len(keys):
            return Z
        rows = np.repeat(np.arange(len(lens)), lens)
        v = np.asarray(vals, dtype="f")[:, None]
        i1 = murmur3_32_u64(keys, 0).astype(np.int64) % length
        i2 = murmur3_32_u64(keys, 1).astype(np.int64) % length
        contrib = np.empty((2 * len(keys), len(self.labels)), dtype="f")
        contrib[0::2] = self.W[:, i1].T * v
        contrib[1::2] = self.W[:, i2].T * v
        np.add.at(Z, np.repeat(rows, 2), contrib)
        return Z

    # ------------------------------------------------------------ export and persistence
    @classmethod
    def from_nlp(cls, nlp: Any, component: str = "textcat_multilabel") -> "TextcatArrays":
        """Export a trained pipeline's textcat (architecture `gazette_nlp.TextCatSentenceBOW.v1`)."""
        from spacy.strings import get_string_id
        from spacy.symbols import IDS

        from .architectures import cue_keys
        from .terms import THEMES

        arch = dict(nlp.config["components"][component]["model"])
        if arch.get("@architectures") != ARCHITECTURE:
            raise ValueError(f"only {ARCHITECTURE} exports to arrays, not {arch.get('@architectures')}")
        pipe = nlp.get_pipe(component)
        sparse = pipe.model.get_ref("output_layer")
        if sparse.attrs.get("v1_indexing"):
            raise ValueError("SparseLinear v1 indexing is not supported")
        n_out, length = sparse.get_dim("nO"), sparse.get_dim("length")
        keep = cue_keys(arch.get("cue_themes") or THEMES) if arch.get("keep_cues", True) else np.zeros(0, "uint64")
        return cls(labels=list(pipe.labels), W=np.asarray(sparse.get_param("W"), dtype="f").reshape(n_out, length),
                   b=np.asarray(sparse.get_param("b"), dtype="f"), keep=np.asarray(keep, dtype=np.uint64),
                   sep_key=int(get_string_id(SEGMENT_SEP)), symbols={s: int(i) for s, i in IDS.items() if s},
                   ngram_size=int(arch.get("ngram_size", 2)), sublinear=bool(arch.get("sublinear", True)),
                   pool_r=float(arch.get("pool_r", 4.0)), batch_size=int(nlp.batch_size))

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder / "weights.npz", W=self.W, b=self.b, keep=self.keep)
        meta = {"format": FORMAT, "architecture": ARCHITECTURE, "labels": self.labels,
                "sep_key": str(self.sep_key), "ngram_size": self.ngram_size, "sublinear": self.sublinear,
                "pool_r": self.pool_r, "batch_size": self.batch_size, "symbols": self.symbols}
        (folder / "textcat.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: str | Path) -> "TextcatArrays":
        folder = Path(folder)
        meta = json.loads((folder / "textcat.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder}: format {meta.get('format')}, expected {FORMAT}")
        with np.load(folder / "weights.npz") as z:
            W, b, keep = z["W"], z["b"], z["keep"]
        return cls(labels=list(meta["labels"]), W=W, b=b, keep=keep.astype(np.uint64), sep_key=int(meta["sep_key"]),
                   symbols={s: int(i) for s, i in meta["symbols"].items()}, ngram_size=int(meta["ngram_size"]),
                   sublinear=bool(meta["sublinear"]), pool_r=float(meta["pool_r"]),
                   batch_size=int(meta["batch_size"]))


__all__ = ["TextcatArrays", "doc_words"]
