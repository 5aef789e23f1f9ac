"""PyTorch side of the bench's sequence rows (apps/bench/src/sequenceModels.mjs has ours and the shapes).

Forward and backward of `output.sum()` with respect to the parameters (no optimiser), PyTorch eager on the
CPU, float32, written the way PyTorch users write these models:
- the LSTM row: nn.LSTM(256, 256) over a (time 128, batch 32, 256) input (PyTorch's fused CPU LSTM);
- the transformer row: a pre-norm block, nn.LayerNorm + nn.MultiheadAttention(256, 4 heads, biases,
  batch_first) with a causal mask, then nn.LayerNorm + Linear(256, 1024) + GELU (tanh form, as Flux's
  gelu) + Linear(1024, 256), each in a residual connection, over a (batch 16, 128, 256) input.
"""

import torch
from torch import nn

SEQUENCE_MODELS = ("lstm", "transformer")

LSTM = {"batch": 32, "steps": 128, "input": 256, "hidden": 256}
TRANSFORMER = {"batch": 16, "context": 128, "width": 256, "heads": 4}


class Block(nn.Module):
    """x + attention(norm(x)), then x + mlp(norm(x))."""

    def __init__(self, width, heads, context):
        super().__init__()
        self.norm1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, bias=True, batch_first=True)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(approximate="tanh"), nn.Linear(4 * width, width))
        self.register_buffer("mask", torch.triu(torch.ones(context, context, dtype=torch.bool), diagonal=1))

    def forward(self, x):
        h = self.norm1(x)
        a, _ = self.attn(h, h, h, attn_mask=self.mask, need_weights=False, is_causal=True)
        x = x + a
        return x + self.mlp(self.norm2(x))


def sequence_step(cell):
    """One forward + backward of the cell's model, as a closure."""
    if cell["model"] == "lstm":
        s = LSTM
        model = nn.LSTM(s["input"], s["hidden"])
        x = torch.randn(s["steps"], s["batch"], s["input"])

        def run():
            model.zero_grad(set_to_none=True)
            out, _ = model(x)
            out.sum().backward()

        return run
    s = TRANSFORMER
    model = Block(s["width"], s["heads"], s["context"])
    x = torch.randn(s["batch"], s["context"], s["width"])

    def run():
        model.zero_grad(set_to_none=True)
        model(x).sum().backward()

    return run
