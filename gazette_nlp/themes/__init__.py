"""Themes: narrative lines → paragraphs (`assemble_paragraphs`) → 0–3 themes each (`theme_paragraphs`)."""
from __future__ import annotations

from .paragraphs import SCORED_SECTIONS, assemble_paragraphs, is_terminated
from .terms import THEMES

__all__ = ["SCORED_SECTIONS", "THEMES", "ThemeClassifier", "assemble_paragraphs", "is_terminated",
           "theme_paragraphs"]


def __getattr__(name: str):  # the classifier imports spaCy: load it only when asked for
    if name in ("ThemeClassifier", "theme_paragraphs", "default_classifier"):
        from . import classifier

        return getattr(classifier, name)
    raise AttributeError(name)
