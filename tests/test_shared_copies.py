"""The project's copies of ../shared (samples/, samples/gold/, tests/fixtures/shared/) are what ../shared holds.

The tests read the copies, so they run on a clone without ../shared; where the folder is beside the checkout,
these tests say when it has changed and a copy must be refreshed. The copies themselves must always be there.
"""
from __future__ import annotations

import pytest

from conftest import GOLD, SAMPLES, SHARED, SHARED_COPY

# copy → original, relative to the project and to ../shared
COPIES = {
    SAMPLES: ("reports", "*.txt", 5),
    GOLD: ("gold", "*.json", 5),
    SHARED_COPY / "gold": ("gold", "check_gold.py", 1),
    SHARED_COPY / "tools": ("tools", "score.py", 1),
    SHARED_COPY / "spec": ("spec", "cell_ids.tsv", 1),
    SHARED_COPY / "pool" / "raw": ("pool/raw", "*.txt", 98),
    SHARED_COPY / "real": ("real", "[0-9]*.*", 8),
}


@pytest.mark.parametrize("copy", list(COPIES), ids=lambda p: p.relative_to(SAMPLES.parent).as_posix())
def test_the_copy_is_in_the_project(copy):
    _, pattern, count = COPIES[copy]
    assert len(list(copy.glob(pattern))) == count


@pytest.mark.parametrize("copy", list(COPIES), ids=lambda p: p.relative_to(SAMPLES.parent).as_posix())
def test_the_copy_equals_shared(copy):
    original, pattern, _ = COPIES[copy]
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout: nothing to compare the copies with")
    theirs = {p.name: p.read_bytes() for p in (SHARED / original).glob(pattern)}
    ours = {p.name: p.read_bytes() for p in copy.glob(pattern)}
    assert sorted(ours) == sorted(theirs)
    assert [n for n in ours if ours[n] != theirs[n]] == []
