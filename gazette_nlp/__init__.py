"""gazette_nlp: Chinese government information-disclosure annual reports → trustworthy data."""
from __future__ import annotations

from .errors import GazetteError
from .model import Cell, Issue, Line, Paragraph, Report, Section

__version__ = "0.1.0"
__all__ = ["Cell", "GazetteError", "Issue", "Line", "Paragraph", "Report", "Section", "parse", "parse_many",
           "to_frame", "__version__"]


def __getattr__(name: str):  # the pipeline loads models: import it only when asked for
    if name in ("parse", "parse_many", "to_frame", "Pipeline"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
