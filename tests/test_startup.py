"""What a one-report parse loads (issue 16): the models run on numpy, onnxruntime and spaCy without torch, so the
libraries that only training needs are never imported by `parse`. Speed itself is measured in
benchmarks/bench_speed.py, not here."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import SAMPLES

TRAINING_ONLY = ("torch", "transformers", "sklearn", "pandas", "datasets", "scipy.stats")

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
    assert {"spacy", "onnxruntime"} <= loaded  # the themes and the tagger did run
    record = json.loads(out.read_text(encoding="utf-8"))
    assert len(record["cells"]) == 200 and any(p["themes"] for p in record["paragraphs"])


def test_torch_still_imports_after_spacy_was_loaded_without_it():
    """spaCy is imported with torch hidden from thinc; torch itself must stay importable in that process
    (a notebook that parses and then trains the tagger)."""
    code = ("from gazette_nlp.spacy_import import import_spacy_without_torch\n"
            "import_spacy_without_torch()\n"
            "import sys; assert 'spacy' in sys.modules and 'torch' not in sys.modules\n"
            "import thinc.compat; assert thinc.compat.has_torch is False\n"
            "import torch; print(torch.tensor([1, 2]).sum().item())\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "3"
