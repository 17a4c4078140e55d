"""The project's copies of ../shared (samples/ and tests/fixtures/shared/) are what ../shared holds.

The tests read the copies, so they run on a clone without ../shared; where the folder is beside the checkout,
these tests say when it has changed and a copy must be refreshed. The copies themselves must always be there.
"""
from __future__ import annotations

import pytest

from conftest import REPO, SAMPLES, SHARED, SHARED_COPY

# (folder of the copy, its folder in ../shared, file pattern, files expected)
COPIES = [
    (SAMPLES, "reports", "*.txt", 5),
    (SHARED_COPY / "reports", "reports", "*.txt", 5),  # a link to samples/: ../shared's layout for the scorer
    (SHARED_COPY / "gold", "gold", "*.json", 5),
    (SHARED_COPY / "gold", "gold", "check_gold.py", 1),
    (SHARED_COPY / "tools", "tools", "score.py", 1),
    (SHARED_COPY / "spec", "spec", "cell_ids.tsv", 1),
    (SHARED_COPY / "pool" / "raw", "pool/raw", "*.txt", 98),
    (SHARED_COPY / "real", "real", "[0-9]*.*", 8),
]
IDS = [f"{c.relative_to(REPO).as_posix()}/{pattern}" for c, _, pattern, _ in COPIES]


@pytest.mark.parametrize("copy, original, pattern, count", COPIES, ids=IDS)
def test_the_copy_is_in_the_project(copy, original, pattern, count):
    assert len(list(copy.glob(pattern))) == count


@pytest.mark.parametrize("copy, original, pattern, count", COPIES, ids=IDS)
def test_the_copy_equals_shared(copy, original, pattern, count):
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout: nothing to compare the copies with")
    theirs = {p.name: p.read_bytes() for p in (SHARED / original).glob(pattern)}
    ours = {p.name: p.read_bytes() for p in copy.glob(pattern)}
    assert sorted(ours) == sorted(theirs)
    assert [n for n in ours if ours[n] != theirs[n]] == []
