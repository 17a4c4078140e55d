"""The cell tagger's ONNX export: what the parse runs, with onnxruntime, so that parsing never imports torch or
transformers (about 3 s of start-up). Written by `CellTagger.save` next to the torch weights it comes from;
`tests/test_tagger.py` checks that both give the same cells."""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

INPUTS = ("input_ids", "token_type_ids", "attention_mask")


def export_onnx(model: Any, path: str | Path) -> None:
    """Export a `BertForTokenClassification` to `path` with batch and length left free. Needs `torch` and the
    `onnx` package (both training dependencies)."""
    import torch

    class Logits(torch.nn.Module):  # the exporter wants plain tensors in and out
        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, token_type_ids, attention_mask):  # noqa: ANN001
            return self.bert(input_ids=input_ids, token_type_ids=token_type_ids,
                             attention_mask=attention_mask).logits

    model.eval()
    example = torch.ones((1, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "length"} for name in INPUTS + ("logits",)}
    # the tracer warns about branches it fixes: causal masking (never: an attention mask is always given) and
    # mask padding (never: the mask is as long as the input); tests/test_tagger.py compares the export with torch
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Logits(model), (example, torch.zeros_like(example), example), str(path), dynamo=False,
                          input_names=list(INPUTS), output_names=["logits"], dynamic_axes=axes, opset_version=17)
