"""Where the shipped models live. `GAZETTE_NLP_MODELS` overrides the default `<repo>/models`."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def models_dir() -> Path:
    return Path(os.environ.get("GAZETTE_NLP_MODELS", REPO_ROOT / "models"))


def model_path(name: str) -> Path:
    return models_dir() / name
