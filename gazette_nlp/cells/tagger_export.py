"""The cell tagger's ONNX export: what the parse runs, with onnxruntime, so that parsing never imports torch or
transformers (about 3 s of start-up). Written by `CellTagger.save` next to the torch weights it comes from;
`tests/test_tagger.py` checks that both give the same cells.

The export takes one more input than the torch model, `positions` (batch × P): the pieces whose logits are
wanted — the numbers each window is read for. Every layer but the last runs on the whole window as before, since
the last needs every piece's keys and values; the last layer's queries, feed-forward block and classifier run on
those positions only. About 12 % of a window's pieces are numbers read from it, so this skips about 40 % of
the arithmetic, and gives the same logits: each output row is the same sums in the same order."""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

INPUTS = ("input_ids", "token_type_ids", "attention_mask")
POSITIONS = "positions"


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


def _logits_at(model: Any) -> Any:
    """A module: (input_ids, token_type_ids, attention_mask, positions) → logits at `positions` only."""
    import math

    import torch

    class LogitsAt(torch.nn.Module):
        def __init__(self, tagger: Any) -> None:
            super().__init__()
            self.tagger = tagger

        def forward(self, input_ids, token_type_ids, attention_mask, positions):  # noqa: ANN001
            bert = self.tagger.bert
            layers = bert.encoder.layer
            last = layers[-1]
            bert.encoder.layer = layers[:-1]  # the layers below the last, on every piece, exactly as in bert()
            try:
                h = bert(input_ids=input_ids, token_type_ids=token_type_ids,
                         attention_mask=attention_mask).last_hidden_state
            finally:
                bert.encoder.layer = layers
            width, att = h.shape[-1], last.attention.self
            heads = att.num_attention_heads
            size = width // heads
            at = torch.gather(h, 1, positions.unsqueeze(-1).expand(-1, -1, width))
            b, n, length = positions.shape[0], positions.shape[1], h.shape[1]
            q = att.query(at).view(b, n, heads, size).transpose(1, 2)
            k = att.key(h).view(b, length, heads, size).transpose(1, 2)
            v = att.value(h).view(b, length, heads, size).transpose(1, 2)
            scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(size)
            scores = scores + (1.0 - attention_mask[:, None, None, :].to(scores.dtype)) * torch.finfo(scores.dtype).min
            ctx = torch.matmul(torch.softmax(scores, -1), v).transpose(1, 2).reshape(b, n, width)
            out = last.attention.output(ctx, at)
            return self.tagger.classifier(last.output(last.intermediate(out), out))

    return LogitsAt(model)


def _trace(model: Any, path: Path) -> None:
    import torch

    model.eval()
    example = torch.ones((1, 8), dtype=torch.long)
    positions = torch.zeros((1, 2), dtype=torch.long)
    axes = {name: {0: "batch", 1: "length"} for name in INPUTS}
    axes[POSITIONS] = axes["logits"] = {0: "batch", 1: "positions"}
    # the tracer warns about branches it fixes: causal masking (never: an attention mask is always given) and
    # mask padding (never: the mask is as long as the input); tests/test_tagger.py compares the export with torch
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(_logits_at(model).eval(), (example, torch.zeros_like(example), example, positions),
                          str(path), dynamo=False, input_names=[*INPUTS, POSITIONS], output_names=["logits"],
                          dynamic_axes=axes, opset_version=17)
