"""`ThemeClassifier`: 0–3 of nine themes for a narrative paragraph.

Core: a blank Chinese spaCy pipeline (`spacy.blank("zh")`, jieba segmenter) with one `textcat_multilabel`
component — a linear bag of words and word bigrams (`themes.cfg` beside this module). Features:

* jieba segments with its own dictionary: the stock one plus `terms.all_terms()` (依申请公开, 政务新媒体,
  三审三校, 信息处理费 … and the template's vocabulary), so a domain term is one feature, not three characters;
* digit runs read as `0` (counts and years carry no theme);
* for every theme cue found in the text (`terms.THEME_CUES`) one shared token `cue<theme>` is appended, so
  synonyms (微信公众号 / 视频号 / 公开栏) share evidence — a small data set cannot learn each one alone.

Ensemble: a scikit-learn linear model (`linear.py`: TF-IDF words + word bigrams of the same spaCy doc, and
character 1–3-grams; one logistic regression per theme) is trained beside the textcat, and the two
probabilities are averaged (`linear_weight`, 0.5). The textcat scores sentences and pools them; the linear
model reads the whole paragraph and its characters — their errors differ, and the average beats either
(pool cross-validation).

Each theme has its own decision threshold (tuned on out-of-fold predictions, or on dev data when given); a
paragraph gets the themes whose probability passes their threshold, at most `max_themes` (3), best first.

Persistence: `save(dir)` writes `nlp/` (the spaCy pipeline, its config included), `textcat/` (the same textcat
exported as arrays, `textcat_arrays.py`), `linear/` (vocabularies and weights as JSON + npz, no pickle) and
`themes.json` (thresholds, ensemble weight and feature settings); `load(dir)` reads them offline and, by
default, scores with the exported arrays: the same probabilities without importing spaCy. Training and
`load(dir, runtime="spacy")` use the spaCy pipeline. `theme_paragraphs` is the pipeline stage.
"""
from __future__ import annotations

import logging

import json
import random
import re
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ModelError
from ..model import Report
from ..paths import model_path
from .bow import SEGMENT_SEP
from .terms import THEME_CUES, THEMES, all_terms
from .textcat_arrays import doc_words

FORMAT_VERSION = 1
# the training config ships with the package: ThemeClassifier.fit is package code, not a checkout script
CONFIG_RESOURCE = "themes.cfg"
THEMED_SECTIONS: frozenset[str] = frozenset({"一", "五", "六"})
MAX_CHARS = 3000  # a paragraph longer than this is classified by its first MAX_CHARS characters

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_CUE_RE: dict[str, re.Pattern[str]] = {
    t: re.compile("|".join(sorted(map(re.escape, cues), key=len, reverse=True))) for t, cues in THEME_CUES.items()
}
import jieba  # noqa: E402  (cheap: its dictionary loads lazily)

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not ours to print on stderr

_CUE_TOKEN = {t: "cue" + t.replace("_", "") for t in THEME_CUES}  # one ASCII word: jieba keeps it whole


# ---------------------------------------------------------------- features
class _Segmenter:
    """What spaCy's ChineseTokenizer calls as `jieba_seg.cut(text, cut_all=False)`: a private jieba
    `Tokenizer` (the global one stays untouched) with the domain terms added, without the HMM (unknown
    words fall back to characters, which generalise better than HMM-guessed place names and is faster)."""

    def __init__(self, terms: Sequence[str]) -> None:
        import jieba

        from ..jieba_dict import load_jieba_dictionary

        load_jieba_dictionary()
        tok = jieba.Tokenizer()
        base = jieba.dt
        if base.initialized:  # share the already loaded stock dictionary instead of reading it again
            tok.FREQ, tok.total, tok.initialized = dict(base.FREQ), base.total, True
        else:
            tok.initialize()
        for w in terms:
            tok.add_word(w, freq=max(tok.suggest_freq(w, tune=False), 1000))
        self.tok = tok

    def cut(self, text: str, cut_all: bool = False, HMM: bool = False):  # noqa: N803 - jieba's signature
        return self.tok.cut(text, cut_all=cut_all, HMM=HMM)


def cue_themes(text: str) -> list[str]:
    """Themes one of whose cue words occur in `text` (one entry per distinct cue word)."""
    out = []
    for theme, rx in _CUE_RE.items():
        out.extend([theme] * len(set(rx.findall(text))))
    return out


_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")


def _title_pattern() -> re.Pattern[str]:
    from ..template import SECTIONS

    titles = {t for s in SECTIONS for t in (s.title, *s.variants) if len(t) >= 4}
    titles |= {t.replace("、", "") for t in titles}
    return re.compile("|".join(sorted(map(re.escape, titles), key=len, reverse=True)))


_TITLES = _title_pattern()
TITLE_TOKEN = "sectiontitle"  # a report listing its own parts (主动公开政府信息情况、…) is meta text, no theme


def prepare(text: str, cue_tokens: bool = True) -> str:
    """The text the spaCy pipeline sees: digits folded; the template's section titles replaced by one token;
    sentences separated by `¶` (the sentence-level architecture scores each one), each followed by the cue
    tokens of the cue words it contains."""
    t = _TITLES.sub(f" {TITLE_TOKEN} ", _DIGITS.sub("0", text[:MAX_CHARS]))
    parts = []
    for sent in _SENTENCE_END.split(t):
        if not sent.strip():
            continue
        if cue_tokens:
            cues = cue_themes(sent)
            if cues:
                sent = sent + " " + " ".join(_CUE_TOKEN[c] for c in cues)
        parts.append(sent)
    return f" {SEGMENT_SEP} ".join(parts)


def content_words(words) -> list[str]:
    """The linear model's input: a prepared doc's words without white space and sentence separators."""
    return [w for w in words if not w.isspace() and w != SEGMENT_SEP]


@lru_cache(maxsize=1)
def _segmenter() -> _Segmenter:
    return _Segmenter(all_terms())


def _attach_segmenter(nlp) -> None:
    nlp.tokenizer.jieba_seg = _segmenter()


def _load_config(config: str | Path | None):
    from spacy.util import load_config
    from thinc.api import Config

    if config is None:
        from importlib.resources import files

        # read as text: spaCy's load_config wants a path, and a resource need not be a file on disk
        return Config().from_str(files(__package__).joinpath(CONFIG_RESOURCE).read_text(encoding="utf-8"),
                                 interpolate=False)  # as spacy.util.load_config reads a file
    path = Path(config)
    if not path.is_file():
        raise ModelError(f"no spaCy config for the theme classifier at {path}")
    return load_config(path)


# ---------------------------------------------------------------- the component
class ThemeClassifier:
    """Multi-label theme classifier for paragraphs (texts in, theme lists out)."""

    themes: tuple[str, ...] = THEMES

    def __init__(self, config: str | Path | None = None, max_themes: int = 3, cue_tokens: bool = True,
                 epochs: int | None = None, seed: int = 0, overrides: dict[str, Any] | None = None,
                 doc_cache: dict[str, Any] | None = None, thresholds: str = "shrunk", bag: int = 1,
                 linear_weight: float = 0.5, linear_options: dict[str, Any] | None = None) -> None:
        self.config_path = config
        self.doc_cache = doc_cache  # prepared text → Doc, shared by the fits of a cross-validation
        self.threshold_mode = thresholds  # shrunk | per_theme | global | fixed
        self.bag = bag  # pipelines trained with different seeds and averaged
        self.overrides = dict(overrides or {})
        self.max_themes = max_themes
        self.cue_tokens = cue_tokens
        self.epochs = epochs
        self.seed = seed
        self.nlp = None
        self.arrays = None  # the textcat exported as arrays (textcat_arrays.py), used instead of `nlp` when set
        # the scikit-learn model (linear.py) whose probabilities are averaged with spaCy's, `linear_weight`
        # to 1 - linear_weight; 0 turns it off
        self.linear_weight = float(linear_weight)
        self.linear_options = dict(linear_options or {})
        self.linear = None
        self.thresholds: dict[str, float] = {t: 0.5 for t in THEMES}
        self.info: dict[str, Any] = {}

    # ------------------------------------------------------------ training
    def _new_nlp(self):
        from spacy.util import load_model_from_config

        from . import architectures  # noqa: F401  (registers the architectures the config names)

        from ..jieba_dict import load_jieba_dictionary

        load_jieba_dictionary()

        cfg = _load_config(self.config_path)
        if self.overrides:
            cfg = cfg.merge(_nested(self.overrides))
        nlp = load_model_from_config(cfg, auto_fill=True, validate=True)
        _attach_segmenter(nlp)
        return nlp, cfg

    def _train(self, texts: Sequence[str], labels: Sequence[Sequence[str]],
               weights: Sequence[float] | None = None, linear_weights: Sequence[float] | None = None):
        """Train the spaCy pipeline and, when `linear_weight` > 0, the linear model (on `linear_weights`,
        default `weights`); sets `self.nlp` and `self.linear`."""
        self.nlp = self._train_spacy(texts, labels, weights)
        self.arrays = None  # an export of an earlier model would shadow the new one
        self.linear = None
        if self.linear_weight > 0:
            from .linear import LinearThemeModel

            words = self._words([self._make_doc(self.nlp, prepare(t, self.cue_tokens)) for t in texts])
            lw = linear_weights if linear_weights is not None else weights
            self.linear = LinearThemeModel(**self.linear_options).fit(words, texts, labels, lw)
        return self.nlp

    @staticmethod
    def _words(docs) -> list[list[str]]:
        """The words of prepared spaCy docs, as the linear model reads them (`content_words`)."""
        return [content_words(t.text for t in doc) for doc in docs]

    def _train_spacy(self, texts: Sequence[str], labels: Sequence[Sequence[str]],
                     weights: Sequence[float] | None = None):
        """Train `bag` pipelines (seeds seed, seed+1, …) and average their weights into the first: the
        model is linear in its features, so this is the average of their sentence scores, with less of the
        variance that a few hundred examples leave in one run."""
        nlps = [self._train_one(texts, labels, weights, self.seed + k) for k in range(max(1, self.bag))]
        if len(nlps) > 1:
            _average_params([nlp.get_pipe("textcat_multilabel").model for nlp in nlps])
        return nlps[0]

    def _train_one(self, texts: Sequence[str], labels: Sequence[Sequence[str]],
                   weights: Sequence[float] | None, seed: int):
        import spacy
        from spacy.training import Example
        from spacy.util import registry

        spacy.util.fix_random_seed(seed)
        nlp, cfg = self._new_nlp()
        textcat = nlp.get_pipe("textcat_multilabel")
        for t in THEMES:
            textcat.add_label(t)
        T = cfg["training"]
        resolved = registry.resolve({"optimizer": T["optimizer"], "batcher": T["batcher"]})
        optimizer, batcher = resolved["optimizer"], resolved["batcher"]
        examples = []
        for i, (text, labs) in enumerate(zip(texts, labels)):
            unknown = set(labs) - set(THEMES)
            if unknown:
                raise ModelError(f"unknown theme(s) {sorted(unknown)} in training example {i}")
            doc = self._make_doc(nlp, prepare(text, self.cue_tokens))
            ex = Example.from_dict(doc, {"cats": {t: float(t in labs) for t in THEMES}})
            # integer weights repeat an example; a fraction keeps it with that probability per epoch
            w = 1.0 if weights is None else float(weights[i])
            examples.append((ex, w))
        if not examples:
            raise ModelError("no training examples for the theme classifier")
        nlp.initialize(lambda: [e for e, _ in examples[:500]], sgd=optimizer)
        rng = random.Random(seed)
        epochs = self.epochs or int(T.get("max_epochs") or 20)
        dropout = float(T.get("dropout") or 0.0)
        for _ in range(epochs):
            epoch = []
            for ex, w in examples:
                k = int(w) + (1 if rng.random() < w - int(w) else 0)
                epoch.extend([ex] * k)
            rng.shuffle(epoch)
            for batch in batcher(epoch):
                # the component's own update: Language.update would copy every example on every step
                textcat.update(batch, drop=dropout, sgd=optimizer)
        from .architectures import clear_training_cache

        clear_training_cache()
        if optimizer.averages:
            _with_averages(nlp, optimizer)
        return nlp

    def _make_doc(self, nlp, prepared: str):
        if self.doc_cache is None:
            return nlp.make_doc(prepared)
        doc = self.doc_cache.get(prepared)
        if doc is None:
            doc = self.doc_cache[prepared] = nlp.make_doc(prepared)
        return doc

    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str]], weights: Sequence[float] | None = None,
            dev: tuple[Sequence[str], Sequence[Sequence[str]]] | None = None, folds: int = 3,
            tune: Sequence[bool] | None = None,
            linear_weights: Sequence[float] | None = None) -> "ThemeClassifier":
        """Train on paragraphs and their theme lists; tune one threshold per theme.

        Thresholds come from `dev` when given, else from `folds`-fold out-of-fold predictions on the
        training examples marked in `tune` (default: all; pass False for synthetic/weak examples so that the
        thresholds are set on real, hand-labelled text). `linear_weights`: the linear model's example weights
        (default `weights`).
        """
        t0 = time.time()
        texts, labels = list(texts), [list(l) for l in labels]
        def pick(w, idx):
            return [w[i] for i in idx] if w is not None else None

        if dev is not None:
            self._train(texts, labels, weights, linear_weights)
            probs, gold = self.predict_proba(dev[0]), [list(l) for l in dev[1]]
        else:
            tune = list(tune) if tune is not None else [True] * len(texts)
            tune_idx = [i for i, m in enumerate(tune) if m]
            probs, gold = [], []
            if folds > 1 and len(tune_idx) >= folds * 2:
                rng = random.Random(self.seed)
                order = tune_idx[:]
                rng.shuffle(order)
                fold_of = {i: k % folds for k, i in enumerate(order)}
                for f in range(folds):
                    tr = [i for i in range(len(texts)) if fold_of.get(i, -1) != f]
                    te = [i for i in tune_idx if fold_of[i] == f]
                    self._train([texts[i] for i in tr], [labels[i] for i in tr], pick(weights, tr),
                                pick(linear_weights, tr))
                    probs.extend(self.predict_proba([texts[i] for i in te]))
                    gold.extend(labels[i] for i in te)
            self._train(texts, labels, weights, linear_weights)
        if probs and self.threshold_mode == "shrunk":
            self.thresholds = shrunk_thresholds(probs, gold)
        elif probs and self.threshold_mode == "per_theme":
            self.thresholds = tune_thresholds(probs, gold)
        elif probs and self.threshold_mode == "global":
            self.thresholds = dict.fromkeys(THEMES, tune_global_threshold(probs, gold))
        self.info = {"train_examples": len(texts), "threshold_examples": len(probs),
                     "fit_seconds": round(time.time() - t0, 1)}
        return self

    # ------------------------------------------------------------ inference
    def _check(self) -> None:
        if self.nlp is None and self.arrays is None:
            raise ModelError("the theme classifier is not trained (fit it or load one)")

    def predict_proba(self, texts: Sequence[str], batch_size: int = 256) -> list[dict[str, float]]:
        self._check()
        texts = list(texts)
        if self.arrays is not None:
            seg = _segmenter()
            docs = [doc_words(list(seg.cut(t, cut_all=False)), t) for t in (prepare(x, self.cue_tokens) for x in texts)]
            probs = self.arrays.predict(docs)
            col = {lab: j for j, lab in enumerate(self.arrays.labels)}
            spacy_p = [[float(row[col[t]]) if t in col else 0.0 for t in THEMES] for row in probs]
            words = [content_words(d) for d in docs]
        else:
            prepped = (prepare(t, self.cue_tokens) for t in texts)
            spacy_docs = list(self.nlp.pipe(prepped, batch_size=batch_size))
            spacy_p = [[float(doc.cats.get(t, 0.0)) for t in THEMES] for doc in spacy_docs]
            words = self._words(spacy_docs) if self.linear is not None else []
        if self.linear is None or self.linear_weight <= 0:
            return [dict(zip(THEMES, p)) for p in spacy_p]
        lin = self.linear.predict_proba(words, texts)
        a = self.linear_weight
        return [{t: a * float(lp[j]) + (1 - a) * sp[j] for j, t in enumerate(THEMES)}
                for lp, sp in zip(lin, spacy_p)]

    def decide(self, scores: dict[str, float]) -> list[str]:
        passed = [t for t in THEMES if scores.get(t, 0.0) >= self.thresholds.get(t, 0.5)]
        passed.sort(key=lambda t: -scores[t])
        return passed[: self.max_themes]

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        return [self.decide(s) for s in self.predict_proba(texts)]

    def __call__(self, report: Report) -> Report:
        return theme_paragraphs(report, self)

    # ------------------------------------------------------------ persistence
    def save(self, path: str | Path, card: dict | None = None) -> None:
        if self.nlp is None:
            raise ModelError("only a theme classifier trained or loaded with runtime='spacy' can be saved")
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        self.nlp.to_disk(p / "nlp")
        export_textcat(self.nlp, p / "textcat")
        if self.linear is not None:
            self.linear.save(p / "linear")
        elif (p / "linear").is_dir():  # a stale linear model of an earlier save must not be loaded with this one
            import shutil

            shutil.rmtree(p / "linear")
        state = {"format": FORMAT_VERSION, "themes": list(THEMES), "thresholds": self.thresholds,
                 "max_themes": self.max_themes, "cue_tokens": self.cue_tokens,
                 "linear_weight": self.linear_weight if self.linear is not None else 0.0,
                 "linear": self.linear.settings() if self.linear is not None else None, "info": self.info}
        (p / "themes.json").write_text(json.dumps(state, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if card is not None:
            (p / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path, runtime: str = "auto") -> "ThemeClassifier":
        """`runtime`: "arrays" scores with the exported textcat (no spaCy import), "spacy" with the spaCy
        pipeline (needed to save or retrain it), "auto" with the arrays when the folder has them."""
        p = Path(path)
        f = p / "themes.json"
        has_arrays = (p / "textcat" / "textcat.json").is_file()
        if runtime not in ("auto", "arrays", "spacy"):
            raise ValueError(f"runtime must be auto, arrays or spacy, not {runtime!r}")
        use_arrays = runtime == "arrays" or (runtime == "auto" and has_arrays)
        if not f.is_file() or not ((p / "textcat") if use_arrays else (p / "nlp")).is_dir():
            raise ModelError(f"no theme classifier at {p} (train one with `gazette-nlp train themes`)")
        try:
            state = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise ModelError(f"cannot read {f}: {e}") from None
        if state.get("format") != FORMAT_VERSION:
            raise ModelError(f"{f} has format {state.get('format')}, expected {FORMAT_VERSION}")
        obj = cls(max_themes=int(state.get("max_themes", 3)), cue_tokens=bool(state.get("cue_tokens", True)))
        if use_arrays:
            from .textcat_arrays import TextcatArrays

            try:
                obj.arrays = TextcatArrays.load(p / "textcat")
            except (OSError, ValueError, KeyError) as e:
                raise ModelError(f"cannot load the exported textcat {p / 'textcat'}: {e}") from None
        else:
            obj.nlp = _load_nlp(p / "nlp")
        obj.linear_weight = float(state.get("linear_weight", 0.0))
        if obj.linear_weight > 0:
            from .linear import LinearThemeModel

            try:
                obj.linear = LinearThemeModel.load(p / "linear")
            except (OSError, ValueError, KeyError) as e:
                raise ModelError(f"cannot load the linear model {p / 'linear'}: {e}") from None
        obj.thresholds = {t: float(state["thresholds"].get(t, 0.5)) for t in THEMES}
        obj.info = state.get("info", {})
        return obj


def _load_nlp(folder: Path):
    from ..jieba_dict import load_jieba_dictionary
    from . import architectures  # noqa: F401  (registers the architectures the saved config names)

    load_jieba_dictionary()  # before spaCy's tokenizer asks jieba to load it the slow way
    import spacy

    try:
        nlp = spacy.load(folder)
    except Exception as e:  # a truncated or foreign pipeline: one line, not a traceback
        raise ModelError(f"cannot load the spaCy pipeline {folder}: {e}") from None
    _attach_segmenter(nlp)
    return nlp


def export_textcat(nlp, folder: str | Path) -> bool:
    """Write the pipeline's textcat as arrays (`textcat_arrays.py`) to `folder`; an architecture that has no
    array export leaves no folder behind (a stale export must not be loaded with this pipeline)."""
    import shutil

    from .textcat_arrays import TextcatArrays

    folder = Path(folder)
    if folder.is_dir():
        shutil.rmtree(folder)
    try:
        arrays = TextcatArrays.from_nlp(nlp)
    except ValueError:
        return False
    arrays.save(folder)
    return True


def _average_params(models) -> None:
    """Set the parameters of models[0] to the mean over `models` (same architecture)."""
    walks = [list(m.walk()) for m in models]
    for nodes in zip(*walks):
        first = nodes[0]
        for name in first.param_names:
            if first.has_param(name) and all(n.has_param(name) for n in nodes):
                first.set_param(name, sum(n.get_param(name) for n in nodes) / len(nodes))


def _nested(overrides: dict[str, Any]) -> dict[str, Any]:
    """{"training.dropout": 0.1} → {"training": {"dropout": 0.1}} (spaCy's dot notation)."""
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        node = out
        *parents, leaf = key.split(".")
        for k in parents:
            node = node.setdefault(k, {})
        node[leaf] = value
    return out


def _with_averages(nlp, optimizer):
    """Copy the optimizer's parameter averages into the model (what `spacy train` saves)."""
    for _, proc in nlp.pipeline:
        if hasattr(proc, "model"):
            for node in proc.model.walk():
                for name in node.param_names:
                    key = (node.id, name)
                    if key in optimizer.averages:
                        node.set_param(name, optimizer.averages[key].copy())
    return nlp


def tune_thresholds(probs: Sequence[dict[str, float]], gold: Sequence[Sequence[str]],
                    grid: Sequence[float] | None = None, prior: float = 0.5, min_positives: int = 3) -> dict[str, float]:
    """Per theme, the threshold that maximises its F1 on (out-of-fold) predictions.

    Ties go to the threshold nearest `prior`; a theme with fewer than `min_positives` positive examples keeps
    `prior` (too little evidence to move it)."""
    grid = list(grid) if grid is not None else [round(x * 0.025, 3) for x in range(4, 37)]  # 0.10 … 0.90
    out: dict[str, float] = {}
    for t in THEMES:
        pos = sum(1 for g in gold if t in g)
        if pos < min_positives:
            out[t] = prior
            continue
        best, best_key = prior, None
        for th in grid:
            tp = sum(1 for p, g in zip(probs, gold) if p[t] >= th and t in g)
            fp = sum(1 for p, g in zip(probs, gold) if p[t] >= th and t not in g)
            fn = pos - tp
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            key = (round(f1, 6), -abs(th - prior))
            if best_key is None or key > best_key:
                best, best_key = th, key
        out[t] = best
    return out


def shrunk_thresholds(probs: Sequence[dict[str, float]], gold: Sequence[Sequence[str]],
                      strength: float = 10.0) -> dict[str, float]:
    """Per-theme thresholds pulled toward the one global threshold: a theme's own optimum counts as much as
    its number of positive examples against `strength` pseudo-examples at the global optimum. With a hundred
    dev paragraphs a rare theme's own optimum is mostly noise."""
    g = tune_global_threshold(probs, gold)
    own = tune_thresholds(probs, gold, prior=g, min_positives=1)
    out = {}
    for t in THEMES:
        n = sum(1 for x in gold if t in x)
        out[t] = round(g + (own[t] - g) * n / (n + strength), 3)
    return out


def tune_global_threshold(probs: Sequence[dict[str, float]], gold: Sequence[Sequence[str]],
                          grid: Sequence[float] | None = None, prior: float = 0.5) -> float:
    """One threshold for all themes, maximising micro-F1."""
    grid = list(grid) if grid is not None else [round(x * 0.025, 3) for x in range(4, 37)]
    best, best_key = prior, None
    for th in grid:
        tp = fp = fn = 0
        for p, g in zip(probs, gold):
            for t in THEMES:
                hit = p[t] >= th
                tp += hit and t in g
                fp += hit and t not in g
                fn += (not hit) and t in g
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        key = (round(f1, 6), -abs(th - prior))
        if best_key is None or key > best_key:
            best, best_key = th, key
    return best


# ---------------------------------------------------------------- pipeline stage
@lru_cache(maxsize=4)
def _default(path: str) -> ThemeClassifier:
    return ThemeClassifier.load(path)


def default_classifier() -> ThemeClassifier:
    """The shipped model, loaded once per process."""
    return _default(str(model_path("theme_classifier")))


def theme_paragraphs(report: Report, classifier: ThemeClassifier | None = None,
                     sections: frozenset[str] | set[str] = THEMED_SECTIONS) -> Report:
    """Pipeline stage: fill `themes` and `scores` of the paragraphs of sections 一/五/六.

    Paragraphs are assembled first when no stage has done it. Paragraphs of other sections (the preamble,
    prose inside the table sections) keep no themes.
    """
    if not report.paragraphs:
        from .paragraphs import assemble_paragraphs

        assemble_paragraphs(report)
    todo = [p for p in report.paragraphs if p.section in sections and p.text.strip()]
    if not todo:
        return report
    clf = classifier or default_classifier()
    for p, scores in zip(todo, clf.predict_proba([p.text for p in todo])):
        p.scores = {t: round(s, 4) for t, s in scores.items()}
        p.themes = clf.decide(scores)
    return report
