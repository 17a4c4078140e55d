"""Pipeline stage `extract_facts`: narrative facts checked against the cells, the last stage of a parse."""
from __future__ import annotations

from functools import lru_cache

from ..model import Report
from ..paths import model_path
from .features import narrative_sites
from .link import check, link
from .tagger import FactTagger


@lru_cache(maxsize=4)
def load_tagger(folder: str | None = None) -> FactTagger:
    return FactTagger.load(folder or model_path("fact_tagger"))


def extract_facts(report: Report, tagger: FactTagger | None = None) -> Report:
    """Fill `report.facts`; add a `narrative_mismatch` issue per fact that disagrees with its cells."""
    sites = narrative_sites(report)
    if not sites:
        report.facts = []
        return report
    tagged = (tagger or load_tagger()).predict(sites)
    report.facts, issues = check(link(tagged), report.cells)
    report.issues.extend(issues)
    return report
