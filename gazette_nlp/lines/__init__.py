"""The layout-agnostic line classifier: every line → heading / table_row / narrative / other."""
from .classifier import LineClassifier, classify_lines

__all__ = ["LineClassifier", "classify_lines"]
