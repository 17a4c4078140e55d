"""Import spaCy without torch and without its command line.

thinc (spaCy's machine-learning layer) imports torch whenever it is installed — it is, for the cell tagger's
training — which costs about 2 s of every start-up, although no spaCy component here uses torch: the theme
classifier is a sparse linear model on numpy. So the first import of spaCy in a process that has not imported
torch tells thinc that torch is absent. torch itself stays importable afterwards (training the tagger in the
same process works); only thinc's torch wrappers are unavailable, and nothing here uses them.

`spacy/__init__` also imports its command line (`spacy.cli`: typer, weasel, requests, about 0.4 s) for the one
name `spacy.info`. During that first import `spacy.cli` is a stand-in whose `info` imports the real one when
called; the stand-in is removed right after, so a later `import spacy.cli` (`spacy train`) gets the real module.
"""
from __future__ import annotations

import sys
import types


def _spacy_info(*args, **kwargs):
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy_without_torch() -> None:
    if "spacy" in sys.modules:
        return
    stand_ins = {"spacy.cli": types.ModuleType("spacy.cli"), "spacy.cli.info": types.ModuleType("spacy.cli.info")}
    stand_ins["spacy.cli"].__path__ = []  # a package, so that `spacy.cli.info` resolves to the stand-in
    stand_ins["spacy.cli.info"].info = _spacy_info  # type: ignore[attr-defined]
    hide_torch = "thinc" not in sys.modules and "torch" not in sys.modules  # else thinc has looked already
    if hide_torch:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    sys.modules.update(stand_ins)
    try:
        import spacy  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        if hide_torch:
            del sys.modules["torch"]
