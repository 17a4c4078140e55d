"""The install: a built wheel carries every model file and parses from wherever it is installed, and no code
of the install edits sys.path to reach the checkout."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES

MODELS = REPO / "gazette_nlp" / "models"


def _model_files() -> list[str]:
    return sorted(p.relative_to(REPO).as_posix() for p in MODELS.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the checkout (the build writes build/ and egg-info into its source tree:
    not into the working tree others use). No build isolation: the test runs offline."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for name in ("gazette_nlp", "training"):
        shutil.copytree(REPO / name, src / name, ignore=skip)
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                          "--no-cache-dir", "-q", "-w", str(tmp / "dist")], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    (whl,) = (tmp / "dist").glob("gazette_nlp-*.whl")
    return whl


def test_the_wheel_carries_every_model_file_and_the_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    files = _model_files()
    assert len(files) >= 15 and any(f.endswith("model.safetensors") for f in files)
    assert [f for f in files if f not in names] == []
    assert {"gazette_nlp/py.typed", "gazette_nlp/themes/themes.cfg"} <= names
    # training ships with its hand annotations: `gazette-nlp train` works from an install
    assert sum(n.startswith("training/annotations/pool/") for n in names) >= 98
    assert not any(n.startswith(("tests/", "samples/", "models/")) for n in names)


_INSTALLED_RUN = r"""
import json, sys
from pathlib import Path
import gazette_nlp
from gazette_nlp.cli import main
from gazette_nlp.paths import models_dir
from gazette_nlp.themes.classifier import _load_config

code = main(["parse", "x.txt", "--out", "out.jsonl", "-q"])
rec = json.loads(Path("out.jsonl").read_text(encoding="utf-8").splitlines()[0])
print(json.dumps({
    "code": code, "package": gazette_nlp.__file__, "models": str(models_dir()),
    "training_imported": "training" in sys.modules,
    "cells": len(rec["cells"]), "t3.new.total": rec["cells"]["t3.new.total"]["value"],
    "labelled": sum(l["label"] is not None for l in rec["lines"]), "lines": len(rec["lines"]),
    "themed": sum(bool(p["themes"]) for p in rec["paragraphs"]),
    "config_sections": sorted(_load_config(None)),
}))
"""


def test_the_installed_wheel_parses_from_another_directory_with_its_own_models(wheel, tmp_path):
    site = tmp_path / "site"
    res = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "-q",
                          "--target", str(site), str(wheel)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    installed = site / "gazette_nlp" / "models"
    for f in _model_files():  # byte for byte what the checkout holds
        assert (site / f).read_bytes() == (REPO / f).read_bytes(), f
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy2(SAMPLES / "002_42101ead988e0218.txt", work / "x.txt")
    env = {k: v for k, v in os.environ.items() if k not in ("GAZETTE_NLP_MODELS", "PYTHONPATH")}
    env.update(PYTHONPATH=str(site), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    # -s: no user site; the installed copy comes first on sys.path, ahead of any editable install's finder
    res = subprocess.run([sys.executable, "-s", "-c", _INSTALLED_RUN], cwd=work, env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["code"] == 0
    assert Path(out["package"]).is_relative_to(site) and Path(out["models"]) == installed
    assert not out["training_imported"]  # parsing needs nothing of the training package
    assert out["cells"] == 200 and out["t3.new.total"] == 36
    assert out["labelled"] == out["lines"] and out["themed"] >= 5
    assert "training" in out["config_sections"]


_SYS_PATH_EDIT = re.compile(r"sys\.path\s*(\.\s*(insert|append|extend)\s*\(|\[[^]]*\]\s*=|\+=|=(?!=))")


def test_no_code_of_the_install_edits_sys_path():
    offenders = [f"{p.relative_to(REPO)}:{n}" for top in ("gazette_nlp", "training") for p in (REPO / top).rglob("*.py")
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if _SYS_PATH_EDIT.search(line)]
    assert offenders == []


def test_the_checkout_models_folder_is_the_package_data():
    """Training writes to the top-level `models` by default; the package must load what it wrote."""
    from gazette_nlp.paths import models_dir

    assert (REPO / "models").resolve() == MODELS.resolve()
    if "GAZETTE_NLP_MODELS" not in os.environ:
        assert models_dir().resolve() == MODELS.resolve()


def test_the_readme_set_up_is_two_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", setup, flags=re.S)
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert commands[1].endswith("python -m pytest")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci
