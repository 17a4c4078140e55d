"""Merging the rule aligner's and the tagger's readings (gazette_nlp.cells.crosscheck): agreement keeps
confidence, disagreement is capped and named, a table the rules misread is taken from the tagger and named."""
from __future__ import annotations

import copy

import pytest
from conftest import GOLD, REPO, SAMPLES

from gazette_nlp.annotations import read_gold, report_with_gold
from gazette_nlp.cells import align_cells
from gazette_nlp.cells.crosscheck import cross_check_cells, merge_readings
from gazette_nlp.cells.validate import LOW, validate_cells
from gazette_nlp.sections import segment_sections


def rules_reading(prefix: str):
    rec = read_gold(next(GOLD.glob(f"{prefix}*.json")))
    report = segment_sections(report_with_gold(rec, (SAMPLES / rec["source"]).read_text(encoding="utf-8")))
    return rec, align_cells(report)


def test_agreement_keeps_every_cell_and_its_confidence():
    _, report = rules_reading("002")
    before = {c: (v.value, v.confidence) for c, v in report.cells.items()}
    merged, issues = merge_readings(report.cells, copy.deepcopy(report.cells))
    assert {c: (v.value, v.confidence) for c, v in merged.items()} == before
    assert not [i for i in issues if i.kind in ("aligners_disagree", "tagger_reading")]


def test_a_disagreement_is_capped_and_named():
    _, report = rules_reading("002")
    other = copy.deepcopy(report.cells)
    other["t3.granted.natural_person"].value += 1
    report.cells, issues = merge_readings(report.cells, other)
    report.issues += issues
    validate_cells(report)
    cell = report.cells["t3.granted.natural_person"]
    assert cell.confidence < LOW
    named = [i for i in report.issues if i.kind == "aligners_disagree"]
    assert named and "t3.granted.natural_person" in named[0].cells


def test_a_table_the_rules_misread_comes_from_the_tagger_and_is_named():
    rec, report = rules_reading("002")
    tagged = copy.deepcopy(report.cells)
    # the rules swap two rows of table 三: identities break; the tagger's reading keeps them
    a, b = "t3.granted.natural_person", "t3.partial.natural_person"
    report.cells[a].value, report.cells[b].value = report.cells[b].value, report.cells[a].value + 7
    merged, issues = merge_readings(report.cells, tagged)
    assert merged[a].value == rec["cells"][a] and merged[b].value == rec["cells"][b]
    assert any(i.kind == "tagger_reading" and a in i.cells for i in issues)
    assert all(c.confidence < LOW for cid, c in merged.items() if cid.startswith("t3."))


def test_cells_only_one_reader_placed_are_flagged():
    _, report = rules_reading("002")
    tagged = copy.deepcopy(report.cells)
    del tagged["t4.review.upheld"]
    merged, issues = merge_readings(report.cells, tagged)
    assert merged["t4.review.upheld"].confidence < LOW
    assert any("t4.review.upheld" in i.cells for i in issues if i.kind == "aligners_disagree")


# ------------------------------------------------------------------ with the shipped tagger
MODEL = REPO / "models" / "cell_tagger"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_shipped_pipeline_cells_on_the_shared_reports(prefix):
    """Rules + tagger cross-check: every gold cell right; the tagger never saw these reports."""
    if not (MODEL / "model.safetensors").is_file():
        pytest.skip("models/cell_tagger is not trained in this checkout")
    rec, report = rules_reading(prefix)
    cross_check_cells(report)
    wrong = [c for c, v in rec["cells"].items() if c not in report.cells or report.cells[c].value != v]
    assert not wrong, wrong[:10]
    extra = [c for c, v in report.cells.items() if c not in rec["cells"] and v.value is not None]
    assert not extra


def _variant_names() -> list[str]:
    from test_cells import MORE_VARIANTS

    return sorted(MORE_VARIANTS) + ["pipes", "markdown", "fullwidth", "one_cell_per_line"]


@pytest.mark.parametrize("name", _variant_names())
def test_shipped_pipeline_keeps_corrupted_variants_right(name):
    """The corrupted variants of 002 the rules read right stay right after the cross-check, and a cell the
    tagger doubts is flagged, never silently changed."""
    if not (MODEL / "model.safetensors").is_file():
        pytest.skip("models/cell_tagger is not trained in this checkout")
    import test_cells as C

    rec = C.rec_by_prefix("002")
    layouts = {"pipes": C.to_pipe_trailing, "markdown": C.to_markdown, "fullwidth": C.to_fullwidth,
               "one_cell_per_line": C.one_cell_per_line}
    text = (C.map_table_lines(rec, C.sample_text(rec), layouts[name]) if name in layouts
            else C.MORE_VARIANTS[name](rec, C.sample_text(rec)))
    report = cross_check_cells(C.parse(text, rec["source"]))
    acc, extra, wrong = C.score(report, rec["cells"])
    assert (acc, extra) == (1.0, 0), (name, wrong[:8])
    named = {c for i in report.issues for c in i.cells}
    doubted = [i for i in report.issues if i.kind in ("aligners_disagree", "tagger_reading")]
    assert all(report.cells[c].confidence < 0.9 for i in doubted for c in i.cells if c in report.cells)
    assert all(c.confidence >= 0.9 or cid in named for cid, c in report.cells.items())
