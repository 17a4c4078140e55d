"""jieba's stock dictionary, loaded in a quarter of the time.

jieba keeps its parsed dictionary (500k words and prefixes with their counts) in a marshal cache whose loading
takes about 1.4 s here, the largest single cost of a one-report parse. The same dictionary is kept here as a
words file and an integer array in the user's cache folder (`GAZETTE_NLP_CACHE`, default
`~/.cache/gazette_nlp`), which load in about 0.25 s. jieba's global tokenizer is given exactly the same
counts and total, so every segmentation is unchanged (tests/test_startup.py compares). Whatever goes wrong
with the cache (an unwritable folder, a truncated file), jieba loads its dictionary its own way.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

_log = logging.getLogger(__name__)


def cache_dir() -> Path:
    if os.environ.get("GAZETTE_NLP_CACHE"):
        return Path(os.environ["GAZETTE_NLP_CACHE"])
    try:
        return Path.home() / ".cache" / "gazette_nlp"
    except (RuntimeError, KeyError):  # no home directory (some containers): the temporary folder, as jieba does
        return Path(tempfile.gettempdir()) / "gazette_nlp"


def _key() -> str:
    import jieba

    stock = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    return f"jieba-{jieba.__version__}-{stock.stat().st_size}"


def load_jieba_dictionary() -> None:
    """Initialise jieba's global tokenizer with its stock dictionary, from our cache when there is one."""
    import jieba

    dt = jieba.dt
    if dt.initialized or dt.dictionary != jieba.DEFAULT_DICT:
        return  # loaded already, or a user's own dictionary: jieba's business
    try:
        words_file, counts_file = (cache_dir() / (_key() + suffix) for suffix in (".words", ".counts.npy"))
        if words_file.is_file() and counts_file.is_file():
            import numpy as np

            words = words_file.read_text(encoding="utf-8").split("\n")
            total, *counts = np.load(counts_file, allow_pickle=False).tolist()  # jieba's total comes first
            if len(words) == len(counts):
                with dt.lock:
                    if not dt.initialized:
                        dt.FREQ, dt.total, dt.initialized = dict(zip(words, counts)), total, True
                return
    except (OSError, ValueError, EOFError) as e:
        _log.debug("jieba dictionary cache unreadable (%s); jieba loads its own", e)
    dt.initialize()
    _write_cache(dt.FREQ, dt.total)


def _write_cache(freq: dict[str, int], total: int) -> None:
    """The words, one a line, and [total, count of each word]: jieba's total is not the sum of the counts (a word
    listed twice in its dictionary is counted twice in the total, once in the counts)."""
    if any("\n" in w for w in freq):
        return  # the words file is one word a line
    try:
        import numpy as np

        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        key = _key()
        for suffix, write in ((".counts.npy", lambda f: np.save(f, np.array([total, *freq.values()], dtype=np.int64))),
                              (".words", lambda f: f.write("\n".join(freq).encode("utf-8")))):
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=key)
            with os.fdopen(fd, "wb") as f:
                write(f)
            os.replace(tmp, folder / (key + suffix))  # whole files only: a parse killed midway leaves none
    except OSError as e:
        _log.debug("jieba dictionary cache not written (%s)", e)
