"""The cell tagger's ONNX export: what the parse runs, with onnxruntime, so that parsing never imports torch or
transformers (about 3 s of start-up). Written by `CellTagger.save` next to the torch weights it comes from;
`tests/test_tagger.py` checks that both give the same cells."""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

INPUTS = ("input_ids", "token_type_ids", "attention_mask")


def export_onnx(model: Any, path: str | Path) -> None:
    """Export a `BertForTokenClassification` to `path` with batch and length left free, then fuse its layer
    norms and GELUs with onnxruntime's transformer optimiser (level 1: portable fusions, no hardware-specific
    kernels). Needs `torch` and the `onnx` package (both training dependencies).

    The export traces the eager attention: the SDPA graph runs about 1.5x slower under onnxruntime on one
    core, and eager with the fusions about as fast as torch (measured on the shipped tagger, 40 reports)."""
    import tempfile

    import torch
    from onnxruntime.transformers import optimizer

    attention = model.config._attn_implementation
    _set_attention(model, "eager")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "raw.onnx"
            _trace(model, raw)
            fused = optimizer.optimize_model(str(raw), model_type="bert", num_heads=model.config.num_attention_heads,
                                             hidden_size=model.config.hidden_size, opt_level=1, use_gpu=False)
            fused.save_model_to_file(str(path))
    finally:
        _set_attention(model, attention)


def _set_attention(model: Any, kind: str) -> None:
    setter = getattr(model, "set_attn_implementation", None)  # transformers 4.5x+; older ones read the config
    if setter is not None:
        setter(kind)
    else:
        model.config._attn_implementation = kind


def _trace(model: Any, path: Path) -> None:
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
