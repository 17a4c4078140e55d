"""`ArraySpanTagger`: the span fact tagger's `scores` on the spancat's array export, without spaCy."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .features import Site
from .spancat_arrays import FILES, SpancatArrays
from .span_inputs import span_inputs

ARRAYS = "arrays"  # the export's folder inside a span tagger's folder (as `span_tagger.ARRAYS`)


def has_arrays(folder: str | Path) -> bool:
    return all((Path(folder) / ARRAYS / name).is_file() for name in FILES)


@dataclass
class ArraySpanTagger:
    arrays: SpancatArrays
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.arrays.labels)

    def scores(self, sites: Sequence[Site]) -> list[dict[str, float]]:
        """Per site, every label's probability: `SpanFactTagger.scores`, value for value."""
        if not sites:
            return []
        units, where = span_inputs(sites)
        matrix = self.arrays.scores(units)
        offsets = [0]
        for u in units:
            offsets.append(offsets[-1] + len(u.spans))
        labels = self.labels
        return [dict(zip(labels, map(float, matrix[offsets[d] + k]))) for d, k in where]

    @classmethod
    def load(cls, folder: str | Path) -> "ArraySpanTagger":
        folder = Path(folder)
        data = json.loads((folder / "span_tagger.json").read_text(encoding="utf-8"))
        return cls(SpancatArrays.load(folder / ARRAYS), threshold=float(data.pop("threshold")), meta=data)
