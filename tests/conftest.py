from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
# the project's copies of what the tests read of ../shared, laid out as there (reports/ links to samples/), so
# that the tests run on a clone without it
SHARED_COPY = REPO / "tests" / "fixtures" / "shared"
GOLD = SHARED_COPY / "gold"
# the sibling folder itself: only tests/test_shared_copies.py reads it, to keep the copies current
SHARED = REPO.parent / "shared"
SAMPLE_IDS = sorted(p.stem for p in SAMPLES.glob("*.txt"))


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}
