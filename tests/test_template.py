from conftest import SHARED_COPY
import pytest

from gazette_nlp import template as t


def test_cell_ids_match_spec_exactly():
    spec = SHARED_COPY / "spec" / "cell_ids.tsv"
    rows = [l.split("\t") for l in spec.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    assert [r[0] for r in rows] == list(t.CELL_IDS)
    assert len(t.CELL_IDS) == 200 and len(set(t.CELL_IDS)) == 200


def test_identities_cover_every_table3_and_table4_cell():
    covered = {c for i in t.IDENTITIES for c in i.cells}
    assert set(t.T3_CELL_IDS) | set(t.T4_CELL_IDS) <= covered
    assert all(c in t.CELL_BY_ID for c in covered)
    names = {i.name for i in t.IDENTITIES}
    assert {"t3.balance.total", "t3.components.natural_person", "t3.row.granted", "t4.review"} <= names
    # 7 balance + 7 component + 25 row + 3 table-4 identities
    assert len(t.IDENTITIES) == 42


def test_components_identity_sums_the_21_outcome_rows():
    comp = next(i for i in t.IDENTITIES if i.name == "t3.components.total")
    assert comp.lhs == ("t3.total.total",) and len(comp.rhs) == 21


def test_vocabulary_holds_labels_and_variants():
    vocab = t.table_vocabulary()
    for word in ("本年度止件数", "其他法律法规禁止公开", "商业企业", "行政复议", "（七）总计"):
        assert word in vocab
