"""The facts' span tagger exported as arrays (gazette_nlp/facts/spancat_arrays.py) gives the spaCy pipeline's
numbers: the hashes and lexical attributes equal spaCy's and thinc's, the inputs equal the Docs spaCy is given,
and the shipped model's scores are identical on every candidate of the shared reports, of generated reports and
of the same texts with their line breaks lost."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from conftest import SAMPLES
from gazette_nlp.facts.features import narrative_sites
from gazette_nlp.facts.span_inputs import span_inputs
from gazette_nlp.facts.spancat_arrays import ARRAYS, ArraySpanTagger, SpancatArrays, has_arrays, word_shape
from gazette_nlp.facts.tagger import LazySpanTagger
from gazette_nlp.paths import model_path
from gazette_nlp.pipeline import Pipeline
from gazette_nlp.spacy_hashes import string_id, thinc_hash

FOLDER = model_path("fact_spans")


@pytest.fixture(scope="module")
def spacy_tagger():
    from gazette_nlp.facts.span_tagger import SpanFactTagger

    return SpanFactTagger.load(FOLDER)


@pytest.fixture(scope="module")
def site_groups() -> list[list]:
    """The candidates of each shared report, of three generated ones, and of each with every line break lost."""
    from training.synth import generate_corpus

    pipe = Pipeline(skip={"extract_facts"})
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    texts += [r["text"] for r in generate_corpus(3, seed=31)]
    groups = []
    for text in texts:
        for variant in (text, text.replace("\n", "") + "\n"):
            sites = narrative_sites(pipe.parse(variant))
            if sites:
                groups.append(sites)
    assert sum(len(g) for g in groups) > 100
    return groups


def test_hashes_are_spacys_and_thincs():
    from spacy.strings import hash_string
    from thinc.api import NumpyOps

    rng = np.random.default_rng(0)
    ids = np.concatenate([rng.integers(0, 2 ** 63, 500, dtype=np.uint64) * np.uint64(2),
                          np.array([0, 1, 2 ** 64 - 1, 2 ** 63], dtype=np.uint64)])
    for seed in (0, 8, 11, 2 ** 31):
        assert np.array_equal(thinc_hash(ids, seed), NumpyOps().hash(ids, seed))
    for s in ("", "政府信息公开", "<num>", "<received>", "ABC", "x", "dd", "“", "…"):
        assert string_id(s) == (hash_string(s) if s else 0)


def test_word_shape_is_spacys():
    from spacy.lang.lex_attrs import word_shape as spacy_shape

    for w in ("政府", "2024", "1,234.5", "ABCdef", "APP", "a" * 120, "（一）", "第十二条", "x1x1", "ⅡⅢ", "½", "Ａ"):
        assert word_shape(w) == spacy_shape(w)


def test_inputs_and_features_are_the_docs_spacy_is_given(spacy_tagger, site_groups):
    from spacy.attrs import NORM, PREFIX, SHAPE, SUFFIX

    from gazette_nlp.facts.span_tagger import CANDIDATES_KEY, sentence_docs

    arrays = SpancatArrays.load(FOLDER / ARRAYS)
    docs_seen = 0
    for sites in site_groups:
        docs, where_docs = sentence_docs(spacy_tagger.nlp.vocab, sites)
        units, where = span_inputs(sites)
        assert where == where_docs
        for doc, unit in zip(docs, units):
            assert [t.text for t in doc] == unit.words
            assert [(s.start, s.end) for s in doc.spans[CANDIDATES_KEY]] == unit.spans
            assert np.array_equal(doc.to_array([NORM, PREFIX, SUFFIX, SHAPE]).astype(np.uint64),
                                  arrays.features(unit))
            docs_seen += 1
    assert docs_seen > 20


def test_shipped_scores_are_the_pipelines(spacy_tagger, site_groups):
    """Value for value, not merely close: the arrays run thinc's operations in thinc's order."""
    arrays = ArraySpanTagger.load(FOLDER)
    assert arrays.labels == spacy_tagger.labels
    for sites in site_groups:
        assert arrays.scores(sites) == spacy_tagger.scores(sites)
    assert arrays.scores([]) == []


def test_export_round_trip_and_refusal(tmp_path, spacy_tagger):
    arrays = SpancatArrays.from_nlp(spacy_tagger.nlp)
    arrays.save(tmp_path / "a")
    back = SpancatArrays.load(tmp_path / "a")
    assert back.labels == arrays.labels and all(np.array_equal(x[0], y[0]) for x, y in zip(back.embed, arrays.embed))
    import spacy

    other = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    other.add_pipe("spancat", config={"spans_key": "x", "model": {
        "@architectures": "spacy.SpanCategorizer.v1",
        "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": 8},
        "scorer": {"@layers": "spacy.LinearLogistic.v1"},
        "tok2vec": {"@architectures": "spacy.Tok2Vec.v2",
                    "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 8, "attrs": ["NORM"],
                              "rows": [100], "include_static_vectors": False},
                    "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 8, "depth": 1,
                               "window_size": 1, "maxout_pieces": 2}}}})
    with pytest.raises(ValueError, match="no array export"):
        SpancatArrays.from_nlp(other)


def test_lazy_tagger_runs_the_arrays_and_falls_back_to_spacy(tmp_path, spacy_tagger, site_groups):
    lazy = LazySpanTagger(FOLDER)
    assert has_arrays(FOLDER) and isinstance(lazy.tagger, ArraySpanTagger)
    old = tmp_path / "fact_spans"
    shutil.copytree(FOLDER, old, ignore=shutil.ignore_patterns(ARRAYS))  # a model saved before the export
    fallback = LazySpanTagger(old)
    assert not has_arrays(old) and type(fallback.tagger).__name__ == "SpanFactTagger"
    assert fallback.scores(site_groups[0]) == lazy.scores(site_groups[0])
    lazy.save(tmp_path / "copy")
    assert has_arrays(tmp_path / "copy") and (tmp_path / "copy" / "nlp").is_dir()


def test_a_damaged_export_is_a_model_error(tmp_path):
    from gazette_nlp.errors import ModelError

    broken = tmp_path / "fact_spans"
    shutil.copytree(FOLDER, broken)
    (broken / ARRAYS / "spancat_arrays.npz").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ModelError, match="cannot load the span fact tagger"):
        ArraySpanTagger.load(broken)
    (broken / ARRAYS / "spancat_arrays.json").write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(ModelError, match="format"):
        ArraySpanTagger.load(broken)
