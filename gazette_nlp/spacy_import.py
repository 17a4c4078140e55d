"""Import spaCy without torch.

thinc (spaCy's machine-learning layer) imports torch whenever it is installed — it is, for the cell tagger's
training — which costs about 2 s of every start-up, although no spaCy component here uses torch: the theme
classifier is a sparse linear model on numpy. So the first import of spaCy in a process that has not imported
torch tells thinc that torch is absent. torch itself stays importable afterwards (training the tagger in the
same process works); only thinc's torch wrappers are unavailable, and nothing here uses them.
"""
from __future__ import annotations

import sys


def import_spacy_without_torch() -> None:
    if "thinc" in sys.modules or "torch" in sys.modules:
        return  # thinc has already looked, or torch is loaded anyway: nothing to save
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]
