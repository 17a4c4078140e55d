"""What a one-report parse loads (issue 16): the models run on numpy, BLIS and onnxruntime, so the libraries that
only training needs (spaCy and thinc included) are never imported by `parse`. Speed itself is measured in
benchmarks/bench_speed.py, not here."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import SAMPLES

TRAINING_ONLY = ("torch", "transformers", "sklearn", "pandas", "datasets", "scipy")  # scipy: sparse matrices to fit

PROBE = """
import json, sys
from gazette_nlp.cli import main
code = main(["parse", sys.argv[1], "--out", sys.argv[2], "-q"])
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.split(".")[0] in
      ("torch", "transformers", "sklearn", "pandas", "datasets", "scipy", "spacy", "onnxruntime", "thinc"))}))
"""


def test_parse_imports_no_training_library(tmp_path):
    out = tmp_path / "one.jsonl"
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    res = subprocess.run([sys.executable, "-c", PROBE, str(sample), str(out)], capture_output=True, text=True,
                         env=env, timeout=300)
    assert res.returncode == 0, res.stderr
    probe = json.loads(res.stdout.strip().splitlines()[-1])
    assert probe["code"] == 0
    loaded = set(probe["modules"])
    assert not [m for m in TRAINING_ONLY if m in loaded], sorted(m for m in loaded if m.split(".")[0] in
                                                                  ("torch", "transformers", "sklearn", "pandas"))
    assert "onnxruntime" in loaded  # the tagger did run
    record = json.loads(out.read_text(encoding="utf-8"))
    assert len(record["cells"]) == 200 and any(p["themes"] for p in record["paragraphs"])


NO_SPACY_PROBE = """
import json, sys
from gazette_nlp.pipeline import Pipeline
report = Pipeline().parse(sys.argv[1])
print(json.dumps({"themed": sum(bool(p.themes) for p in report.paragraphs), "cells": len(report.cells),
                  "span_tagger": "gazette_nlp.facts.spancat_arrays" in sys.modules,
                  "spacy": sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc"))}))
"""


def test_every_model_runs_without_spacy():
    """The theme textcat and the facts' span tagger run as exported arrays: a report whose facts include an
    uncertain one (sample 001: the span tagger is asked) parses without importing spaCy or thinc."""
    sample = sorted(SAMPLES.glob("*.txt"))[1]
    res = subprocess.run([sys.executable, "-c", NO_SPACY_PROBE, str(sample)], capture_output=True, text=True,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=300)
    assert res.returncode == 0, res.stderr
    probe = json.loads(res.stdout.strip().splitlines()[-1])
    assert probe["themed"] > 0 and probe["cells"] == 200
    assert probe["span_tagger"]  # an uncertain fact did reach the span tagger
    assert probe["spacy"] == []


def test_torch_and_spacy_cli_still_import_after_spacy_was_loaded_without_them():
    """spaCy is imported with torch hidden from thinc and a stand-in for its command line; torch and the real
    `spacy.cli` must stay importable in that process (a notebook that parses and then trains)."""
    code = ("from gazette_nlp.spacy_import import import_spacy_without_torch\n"
            "import_spacy_without_torch()\n"
            "import sys; assert 'spacy' in sys.modules and 'torch' not in sys.modules\n"
            "assert 'spacy.cli' not in sys.modules and 'typer' not in sys.modules\n"
            "import thinc.compat; assert thinc.compat.has_torch is False\n"
            "import spacy.cli; assert hasattr(spacy.cli, 'train') and spacy.cli.__file__\n"
            "assert isinstance(spacy.info(), dict)\n"
            "import torch; print(torch.tensor([1, 2]).sum().item())\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "3"


JIEBA_PROBE = """
import json, sys
import jieba
if sys.argv[1] == "ours":
    from gazette_nlp.jieba_dict import load_jieba_dictionary
    load_jieba_dictionary()
else:
    jieba.initialize()
text = open(sys.argv[2], encoding="utf-8").read()
print(json.dumps({"total": jieba.dt.total, "size": len(jieba.dt.FREQ), "cut": jieba.lcut(text, HMM=False)}))
"""


def test_jieba_dictionary_cache_segments_as_jieba_does(tmp_path):
    """jieba's dictionary from our cache (written on first use, read after) gives jieba's own counts and cuts."""
    sample = sorted(SAMPLES.glob("*.txt"))[1]
    env = {**os.environ, "GAZETTE_NLP_CACHE": str(tmp_path / "cache")}
    runs = {}
    for name, mode in (("jieba", "jieba"), ("first", "ours"), ("cached", "ours")):
        res = subprocess.run([sys.executable, "-c", JIEBA_PROBE, mode, str(sample)], capture_output=True, text=True,
                             env=env, timeout=300)
        assert res.returncode == 0, res.stderr
        runs[name] = json.loads(res.stdout)
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".npy", ".words"]
    assert runs["first"] == runs["jieba"] == runs["cached"]
    assert runs["jieba"]["size"] > 300_000 and len(runs["jieba"]["cut"]) > 1000
