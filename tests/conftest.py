from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SHARED = REPO.parent / "shared"
GOLD = SHARED / "gold"
SAMPLE_IDS = sorted(p.stem for p in SAMPLES.glob("*.txt"))


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}


def require_gold() -> Path:
    if not GOLD.is_dir():
        pytest.skip("../shared/gold is not beside this checkout")
    return GOLD
