"""Where the shipped models live.

The models are package data (`gazette_nlp/models/`, found through `importlib.resources`), so a wheel install
loads them from wherever it was installed. A checkout's top-level `models` is a link to that folder: training
writes there by default and the next parse loads the new model. `GAZETTE_NLP_MODELS` points elsewhere.
"""
from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from .errors import ModelError

MODELS_ENV = "GAZETTE_NLP_MODELS"
# a checkout's root (training/, samples/, tests/ beside the package); inference never reads from it
REPO_ROOT = Path(__file__).resolve().parent.parent


def models_dir() -> Path:
    override = os.environ.get(MODELS_ENV)
    if override:
        return Path(override)
    shipped = files("gazette_nlp").joinpath("models")
    # the loaders (numpy, onnxruntime, spaCy) need a real directory, not a zip member
    if not isinstance(shipped, Path):
        raise ModelError(f"the shipped models are not on the file system ({shipped}); install gazette-nlp "
                         f"unzipped or set {MODELS_ENV} to a models folder")
    return shipped


def model_path(name: str) -> Path:
    return models_dir() / name
