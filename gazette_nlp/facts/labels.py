"""Quantity labels: what a fact candidate states, and the template cells each label sums (../shared/spec/facts.md).

A label names a quantity as the writer words it, not yet the cells: `received` (受理 / 收到) is read as new or as
new + carried over from its sentence, `applicant` takes its row from the fact it qualifies and its column from
its own words, `upheld` … take their subject (review or litigation) from the fact before them. Those readings
are `link.py`'s; this module holds the fixed part of the table and the inverse used to label training data.
"""
from __future__ import annotations

ORG_COLUMNS: tuple[str, ...] = ("commercial", "research", "public_interest", "legal_services", "other_org")
COLUMNS: tuple[str, ...] = ("natural_person", *ORG_COLUMNS)

_WITHHELD = ("state_secret", "law_prohibited", "three_safety_stability", "third_party", "internal_affairs",
             "process_info", "enforcement_file", "query_item")
_UNABLE = ("not_held", "needs_creation", "unclear_after_correction")
_REJECTED = ("petition_complaint", "duplicate", "publication", "mass_repetitive", "reconfirm")
_OTHER = ("no_correction", "unpaid_fee", "other")

# label -> the row stems of table 三 it sums (a stem + '.total', or + '.<column>' for an applicant fact)
ROWS: dict[str, tuple[str, ...]] = {
    "new": ("t3.new",),
    "carried_over": ("t3.carried_over",),
    "handled": ("t3.total",),
    "carried_forward": ("t3.carried_forward",),
    "granted": ("t3.granted",),
    "partial": ("t3.partial",),
    "granted_partial": ("t3.granted", "t3.partial"),
    "withheld": tuple(f"t3.withheld.{k}" for k in _WITHHELD),
    "unable": tuple(f"t3.unable.{k}" for k in _UNABLE),
    "rejected": tuple(f"t3.rejected.{k}" for k in _REJECTED),
    "other_processing": tuple(f"t3.other.{k}" for k in _OTHER),
}
# labels whose cells are fixed
FIXED: dict[str, tuple[str, ...]] = {
    **{label: tuple(f"{stem}.total" for stem in stems) for label, stems in ROWS.items()},
    "review": ("t4.review.total",),
    "litigation": ("t4.litigation_direct.total", "t4.litigation_after_review.total"),
    "litigation_direct": ("t4.litigation_direct.total",),
    "litigation_after_review": ("t4.litigation_after_review.total",),
    "rules_issued": ("t2.rules.issued",),
    "rules_repealed": ("t2.rules.repealed",),
    "rules_in_force": ("t2.rules.in_force",),
    "normative_issued": ("t2.normative_docs.issued",),
    "normative_repealed": ("t2.normative_docs.repealed",),
    "normative_in_force": ("t2.normative_docs.in_force",),
    "licensing": ("t2.licensing.decisions",),
    "penalty": ("t2.penalty.decisions",),
    "enforcement": ("t2.enforcement.decisions",),
    "fees": ("t2.fees.amount",),
}
# table 四: a subject and its outcome columns
SUBJECTS: dict[str, tuple[str, ...]] = {
    "review": ("t4.review",),
    "litigation": ("t4.litigation_direct", "t4.litigation_after_review"),
    "litigation_direct": ("t4.litigation_direct",),
    "litigation_after_review": ("t4.litigation_after_review",),
}
OUTCOMES: dict[str, str] = {"upheld": "upheld", "corrected": "corrected", "other_result": "other",
                            "pending": "pending"}
CONTEXTUAL: tuple[str, ...] = ("received", "applicant", *OUTCOMES)
LABELS: tuple[str, ...] = ("O", *FIXED, *CONTEXTUAL)

_NEW_WORDS = ("新收", "新受理", "新接收", "新增")


def label_of(cells: list[str], text: str) -> str:
    """The label a hand-labelled fact's cells and words imply (the inverse of linking), for training."""
    key = tuple(cells)
    if key in (("t3.new.total",), ("t3.new.total", "t3.carried_over.total")):
        return "new" if any(w in text for w in _NEW_WORDS) else "received"
    for label, fixed in FIXED.items():
        if key == fixed:
            return label
    parts = [c.split(".") for c in cells]
    if all(p[0] == "t4" for p in parts):
        outcome = {p[-1] for p in parts}
        for label, column in OUTCOMES.items():
            if outcome == {column}:
                return label
    if all(p[0] == "t3" and p[-1] in COLUMNS for p in parts):
        return "applicant"
    raise ValueError(f"no label for cells {cells}")
