"""The theme textcat exported as arrays (gazette_nlp/themes/textcat_arrays.py) gives the spaCy pipeline's numbers:
the three hashes equal spaCy's and thinc's, the words equal the Doc's, and the shipped model's probabilities are
identical on the shared reports' paragraphs, cut and glued versions of them, and odd text."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from conftest import SAMPLES
from gazette_nlp.pipeline import Pipeline
from gazette_nlp.themes.classifier import ThemeClassifier, _segmenter, export_textcat, prepare
from gazette_nlp.paths import model_path
from gazette_nlp.spacy_hashes import murmurhash64a, ngram_keys
from gazette_nlp.themes.textcat_arrays import TextcatArrays, doc_words

ODD = ["", "   ", "X NOUN ORTH 政府  信息 公开。APP  ", "a" * 17, " 前导空格。 两个  空格。\t制表符;", "¶ ¶", "0", "。。。"]


@pytest.fixture(scope="module")
def spacy_clf() -> ThemeClassifier:
    return ThemeClassifier.load(model_path("theme_classifier"), runtime="spacy")


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    pipe = Pipeline(skip={"theme_paragraphs"})
    texts = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for variant in (text, text.replace("\n", "")):  # as printed, and with every line break lost
            report = pipe.parse(variant) if "\n" in variant else pipe.parse(variant + "\n")
            texts += [p.text for p in report.paragraphs]
    paras = [t for t in texts if t.strip()]
    # cut versions: a paragraph's first third and its second half, as a broken extraction leaves them
    paras += [t[: len(t) // 3] for t in paras[:40]] + [t[len(t) // 2:] for t in paras[:40]]
    return paras + ODD


def test_string_hash_is_spacys():
    from spacy.strings import hash_string

    words = ["政府", "a", "abcdefgh", "abcdefghijklmnop", "信息公开工作年度报告很长的词语", "¶", " ", "cuetraining", "0"]
    assert [murmurhash64a(w.encode("utf-8"), 1) for w in words] == [hash_string(w) for w in words]


def test_ngram_hash_is_thincs():
    from thinc.api import NumpyOps

    keys = np.random.default_rng(0).integers(0, 2 ** 63, 500, dtype=np.uint64)
    for n in (1, 2, 3):
        assert np.array_equal(NumpyOps().ngrams(n, keys), ngram_keys(n, keys))


def test_sparse_linear_rows_are_thincs():
    """Same keys and values through thinc's SparseLinear_v2 and through the array version of it."""
    from thinc.api import SparseLinear_v2

    rng = np.random.default_rng(1)
    layer = SparseLinear_v2(nO=3, length=64)
    layer.initialize()
    layer.set_param("W", rng.normal(size=3 * 64).astype("f"))
    layer.set_param("b", rng.normal(size=3).astype("f"))
    keys = rng.integers(0, 2 ** 63, 40, dtype=np.uint64)
    vals = rng.random(40).astype("f")
    lens = np.array([10, 0, 25, 5], dtype="int32")
    expected = layer.predict((keys, vals, lens))
    arrays = TextcatArrays(labels=["a", "b", "c"], W=layer.get_param("W").reshape(3, 64), b=layer.get_param("b"),
                           keep=np.zeros(0, np.uint64), sep_key=0, symbols={})
    assert np.array_equal(arrays._sparse_linear(keys, vals, lens), expected)


def test_words_and_keys_are_the_docs(spacy_clf, paragraphs):
    seg = _segmenter()
    arrays = ThemeClassifier.load(model_path("theme_classifier"), runtime="arrays").arrays
    for text in paragraphs:
        prepared = prepare(text)
        doc = spacy_clf.nlp.make_doc(prepared)
        words = doc_words(list(seg.cut(prepared)), prepared)
        assert words == [t.text for t in doc]
        # spaCy's symbol table gives a few strings ("X", "NOUN") small ids instead of hashes
        assert [t.orth for t in doc] == [arrays.key(w) for w in words]


def test_shipped_probabilities_identical(spacy_clf, paragraphs):
    arrays_clf = ThemeClassifier.load(model_path("theme_classifier"))
    assert arrays_clf.arrays is not None and arrays_clf.nlp is None  # the default runtime
    got, expected = arrays_clf.predict_proba(paragraphs), spacy_clf.predict_proba(paragraphs)
    assert got == expected
    assert [arrays_clf.decide(p) for p in got] == [spacy_clf.decide(p) for p in expected]
    assert sum(bool(arrays_clf.decide(p)) for p in got) > len(paragraphs) // 2  # themes were given


def test_export_round_trip_and_fallback(tmp_path, spacy_clf, paragraphs):
    src = model_path("theme_classifier")
    plain = tmp_path / "no_export"
    shutil.copytree(src, plain, ignore=shutil.ignore_patterns("textcat"))
    fallback = ThemeClassifier.load(plain)  # a model saved before the export existed still loads, with spaCy
    assert fallback.nlp is not None and fallback.arrays is None
    assert export_textcat(fallback.nlp, plain / "textcat")
    again = ThemeClassifier.load(plain)
    assert again.arrays is not None
    assert again.predict_proba(paragraphs[:50]) == spacy_clf.predict_proba(paragraphs[:50])
    with pytest.raises(Exception, match="runtime='spacy'"):
        again.save(tmp_path / "copy")  # an arrays-only classifier has no pipeline to save


def test_linear_scores_equal_the_sparse_product(paragraphs):
    """The linear theme model scores without scipy (`_scores`) exactly as the CSR design matrix of training does."""
    from gazette_nlp.themes.bow import SEGMENT_SEP

    model = ThemeClassifier.load(model_path("theme_classifier")).linear
    seg = _segmenter()
    words = [[w for w in doc_words(list(seg.cut(prepare(t))), prepare(t)) if not w.isspace() and w != SEGMENT_SEP]
             for t in paragraphs]
    expected = np.asarray(model._matrix(words, paragraphs) @ model.coef.T)
    got = model._scores(words, paragraphs)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)
    assert np.count_nonzero(got) > len(paragraphs)  # real scores, not an empty product
