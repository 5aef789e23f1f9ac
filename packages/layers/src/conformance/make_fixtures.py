#!/usr/bin/env python3
"""Reference values for the layer conformance suite (./fixtures.ts), in float64.

Run from the repository root (PyTorch 2.x CPU and numpy):

    npx bun --conditions=@flux/source packages/layers/src/conformance/dumpSpecs.ts \\
      | python3 packages/layers/src/conformance/make_fixtures.py > packages/layers/src/conformance/fixtures.ts \\
      && npx biome format --write packages/layers/src/conformance/fixtures.ts

The case specs come from ./cases.ts (through ./dumpSpecs.ts); every tensor is rebuilt here with the same
formula as ./det.ts. Arrays are numpy arrays indexed like Julia (a[i, j, k] is Julia's a[i+1, j+1, k+1]):
column-major data is read with order="F", and outputs are written back the same way. Where PyTorch has the
layer it computes the reference (with Flux's weights put where torch keeps them); otherwise the case's
function here is the formula from Flux/NNlib's source written out in numpy.
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

torch.set_default_dtype(torch.float64)


def det(spec):
    shape = spec["shape"]
    n = int(np.prod(shape)) if shape else 1
    s = np.sin(0.9 * np.arange(n) + 1.7 * spec["seed"] + 0.3)
    kind = spec.get("kind", "real")
    if kind == "real":
        v = spec.get("scale", 1) * s / 2
    elif kind == "unit":
        v = 0.5 + 0.45 * s
    elif kind == "positive":
        v = 1 + 0.5 * s
    elif kind == "binary":
        v = (s >= 0).astype(np.float64)
    elif kind == "sign":
        v = np.where(s >= 0, 1.0, -1.0)
    else:
        raise ValueError(kind)
    return np.reshape(v, shape, order="F")


def T(a):
    return torch.tensor(np.ascontiguousarray(a))


def sig(x):
    return 1 / (1 + np.exp(-x))


# ---- recurrent: torch takes (len, batch, in) and states (1, batch, hidden); Flux [in, len, batch] -------


def torch_seq(mod, t, state_keys, nonbias_hh=True):
    with torch.no_grad():
        mod.weight_ih_l0.copy_(T(t["Wi"]))
        mod.weight_hh_l0.copy_(T(t["Wh"]))
        if "b" in t:
            mod.bias_ih_l0.copy_(T(t["b"]))
            mod.bias_hh_l0.zero_()
    x = t["x"]
    unbatched = x.ndim == 2
    X = T(x).permute(1, 0) if unbatched else T(x).permute(1, 2, 0)
    states = [T(t[k]).T.unsqueeze(0) for k in state_keys]
    if not states:
        out, _ = mod(X)
    elif len(states) == 1:
        out, _ = mod(X, states[0])
    else:
        out, (hn, cn) = mod(X, tuple(states))
    out = out.detach().numpy()
    return out.transpose(1, 0) if unbatched else out.transpose(2, 0, 1)


def lstm_last_c(t):
    mod = nn.LSTM(t["x"].shape[0], t["h"].shape[0])
    with torch.no_grad():
        mod.weight_ih_l0.copy_(T(t["Wi"]))
        mod.weight_hh_l0.copy_(T(t["Wh"]))
        mod.bias_ih_l0.copy_(T(t["b"]))
        mod.bias_hh_l0.zero_()
    X = T(t["x"]).permute(1, 2, 0)
    _, (hn, cn) = mod(X, (T(t["h"]).T.unsqueeze(0), T(t["c"]).T.unsqueeze(0)))
    return cn[0].detach().numpy().T


def cell(mod, t, state_keys, pick=0):
    with torch.no_grad():
        mod.weight_ih.copy_(T(t["Wi"]))
        mod.weight_hh.copy_(T(t["Wh"]))
        mod.bias_ih.copy_(T(t["b"]))
        mod.bias_hh.zero_()
    states = [T(t[k]).T for k in state_keys]
    out = mod(T(t["x"]).T, states[0] if len(states) == 1 else tuple(states))
    if isinstance(out, tuple):
        out = out[pick]
    return out.detach().numpy().T


def gruv3_step(x, h, Wi, Wh, b, Whh):
    H = h.shape[0]
    gx = Wi @ x + b[:, None]
    gh = Wh @ h
    r = sig(gx[0:H] + gh[0:H])
    z = sig(gx[H : 2 * H] + gh[H : 2 * H])
    ht = np.tanh(gx[2 * H :] + Whh @ (r * h))
    return (1 - z) * ht + z * h


def gruv3(t):
    h = t["h"]
    ys = []
    for s in range(t["x"].shape[1]):
        h = gruv3_step(t["x"][:, s, :], h, t["Wi"], t["Wh"], t["b"], t["Whh"])
        ys.append(h)
    return np.stack(ys, axis=1)


# ---- attention: our [features, len, batch] with heads split as [d/nheads, nheads, ...] (NNlib's
# split_heads); torch's scaled_dot_product_attention takes (batch, heads, len, d/nheads). ------------------


def heads(a, nh):
    D, L, B = a.shape
    return T(a.reshape((D // nh, nh, L, B), order="F").transpose(3, 1, 2, 0))


def unheads(y):
    # (batch, heads, len, dh) -> [dh * heads, len, batch]
    a = y.detach().numpy().transpose(3, 1, 2, 0)
    dh, nh, L, B = a.shape
    return a.reshape((dh * nh, L, B), order="F")


def sdpa(q, k, v, nh, causal=False, bias=None):
    mask = None if bias is None else T(bias.T)  # ours [kvLen, qLen] -> torch [qLen, kvLen]
    y = F.scaled_dot_product_attention(heads(q, nh), heads(k, nh), heads(v, nh), attn_mask=mask, is_causal=causal)
    return unheads(y)


def attention_weights(q, k, nh, causal=False):
    Q, K = heads(q, nh), heads(k, nh)
    s = Q @ K.transpose(-1, -2) / math.sqrt(Q.shape[-1])
    if causal:
        Lq, Lk = s.shape[-2], s.shape[-1]
        s = s.masked_fill(torch.ones(Lq, Lk, dtype=torch.bool).tril().logical_not(), float("-inf"))
    a = torch.softmax(s, dim=-1).numpy()  # (B, nh, Lq, Lk) -> ours [Lk, Lq, nh, B]
    return a.transpose(3, 2, 1, 0)


def linear(W, x, b=None):
    y = np.einsum("oi,i...->o...", W, x)
    return y if b is None else y + b.reshape((-1,) + (1,) * (x.ndim - 1))


def mha(t, x_q, x_k, x_v, nh=2, bias=True, causal=False, attn_bias=None):
    g = (lambda k: t[k]) if bias else (lambda k: None)
    q = linear(t["Wq"], x_q, g("bq"))
    k = linear(t["Wk"], x_k, g("bk"))
    v = linear(t["Wv"], x_v, g("bv"))
    return linear(t["Wo"], sdpa(q, k, v, nh, causal, attn_bias), g("bo"))


def layernorm(x, s, b):
    mu = x.mean(axis=0, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=0, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-5) * s[:, None, None] + b[:, None, None]


TOKENS = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]


def decoder_block(t):
    D, L, B = t["pos"].shape[0], t["pos"].shape[1], 2
    e = t["tok"][:, TOKENS].reshape((D, L, B), order="F") + t["pos"][:, :, None]
    h = e + mha(t, *(layernorm(e, t["ln1s"], t["ln1b"]),) * 3, bias=False, causal=True)
    z = layernorm(h, t["ln2s"], t["ln2b"])
    hidden = F.gelu(T(linear(t["W1"], z, t["b1"])), approximate="tanh").numpy()
    return h + linear(t["W2"], hidden, t["b2"])


# ---- losses: Flux's formulas (src/losses/functions.jl), eps = eps(Float32) as Flux's default for f32 ----

EPS = float(np.finfo(np.float32).eps)


def xlogy(x, y):
    return np.where(x == 0, 0.0, x * np.log(np.where(x == 0, 1.0, y)))


def kl(yh, y):
    ent = np.mean(np.sum(xlogy(y, y), axis=0))
    ce = np.mean(-np.sum(xlogy(y, yh + EPS), axis=0))
    return ent + ce


def binary_focal(yh, y, g=2):
    e = yh + EPS
    pt = y * e + (1 - y) * (1 - e)
    return np.mean((1 - pt) ** g * -np.log(pt))


def focal(yh, y, g=2):
    e = yh + EPS
    return np.mean(np.sum(-y * (1 - e) ** g * np.log(e), axis=0))


def tversky(yh, y, b=0.7):
    num = np.sum(y * yh) + 1
    den = np.sum(y * yh + b * (1 - y) * yh + (1 - b) * y * (1 - yh)) + 1
    return 1 - num / den


# ---- normalisation: ours [W, H, C, N] is torch's (N, C, H, W) with the dims reversed ----------------


def nchw(a):
    return T(a.transpose(3, 2, 1, 0))


def back(y):
    return y.detach().numpy().transpose(3, 2, 1, 0)


# ---- convolutions and pools: ours [spatial..., C, N] is torch's (N, C, spatial reversed...), i.e. all dims
# reversed; a weight [k..., cin, cout] reversed is torch's (cout, cin, k reversed...). Flux's Conv and
# ConvTranspose are true convolutions: torch gets the kernel flipped in every spatial dim. ----------------


def rev(a):
    return T(a.transpose(tuple(range(a.ndim - 1, -1, -1))))


def unrev(y):
    y = y.detach().numpy()
    return y.transpose(tuple(range(y.ndim - 1, -1, -1)))


def flipw(w):
    return rev(w).flip(tuple(range(2, w.ndim)))


def conv_case(t, d, flip=True, stride=1, pad=None, dilation=1, groups=1):
    x = rev(t["x"])
    if pad is not None:
        x = F.pad(x, pad)
    w = flipw(t["w"]) if flip else rev(t["w"])
    f = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[d]
    b = T(t["b"]) if "b" in t else None
    return unrev(f(x, w, b, stride=stride, dilation=dilation, groups=groups))


def convT_case(t, d, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    f = {1: F.conv_transpose1d, 2: F.conv_transpose2d}[d]
    b = T(t["b"]) if "b" in t else None
    y = f(rev(t["x"]), flipw(t["w"]), b, stride=stride, padding=padding, output_padding=output_padding,
          groups=groups, dilation=dilation)
    return unrev(y)


def batch_norm(t, training):
    y = F.batch_norm(nchw(t["x"]), T(t["μ"]), T(t["σ2"]), T(t["γ"]), T(t["β"]), training=training, eps=1e-5)
    return back(y)


EMBEDDING_IDS = [3, 0, 9, 3, 7, 1]


def dims(t):
    return t["x"].shape[0], t["Wh"].shape[1]


CASES = {
    "RNNCell one step (torch nn.RNNCell)": lambda t: cell(nn.RNNCell(*dims(t)), t, ["h"]),
    "RNN over a sequence, initial state given (torch nn.RNN)": lambda t: torch_seq(nn.RNN(*dims(t)), t, ["h"]),
    "LSTMCell one step (torch nn.LSTMCell)": lambda t: cell(nn.LSTMCell(*dims(t)), t, ["h", "c"], pick=1),
    "LSTM over a sequence, initial state given (torch nn.LSTM)": lambda t: torch_seq(
        nn.LSTM(*dims(t)), t, ["h", "c"]
    ),
    "LSTM last cell state with returnState (torch nn.LSTM c_n)": lstm_last_c,
    "LSTM unbatched [in, len] from the zero state (torch nn.LSTM)": lambda t: torch_seq(nn.LSTM(*dims(t)), t, []),
    "GRUCell one step (torch nn.GRUCell, bias_hh = 0)": lambda t: cell(nn.GRUCell(*dims(t)), t, ["h"]),
    "GRU over a sequence, initial state given (torch nn.GRU, bias_hh = 0)": lambda t: torch_seq(
        nn.GRU(*dims(t)), t, ["h"]
    ),
    "GRUv3Cell one step (numpy, Flux's formula)": lambda t: gruv3_step(
        t["x"], t["h"], t["Wi"], t["Wh"], t["b"], t["Whh"]
    ),
    "GRUv3 over a sequence, initial state given (numpy, Flux's formula)": gruv3,
    "Recurrence(RNNCell) over a sequence, initial state given (torch nn.RNN)": lambda t: torch_seq(
        nn.RNN(*dims(t)), t, ["h"]
    ),
    "RNN relu without bias, unbatched, zero state (torch nn.RNN relu)": lambda t: torch_seq(
        nn.RNN(*dims(t), nonlinearity="relu", bias=False), t, []
    ),
    "dotProductAttention, 2 heads, causal mask: output (torch scaled_dot_product_attention)": lambda t: sdpa(
        t["q"], t["k"], t["v"], 2, causal=True
    ),
    "dotProductAttention, 2 heads, causal mask: weights α (torch softmax(q kᵀ/√d))": lambda t: attention_weights(
        t["q"], t["k"], 2, causal=True
    ),
    "MultiHeadAttention self-attention with biases, causal (torch Linear + scaled_dot_product_attention)": lambda t: mha(
        t, t["x"], t["x"], t["x"], causal=True
    ),
    "MultiHeadAttention cross-attention (3, 4, 5) => (6, 4) => 8 with an additive bias (torch)": lambda t: mha(
        t, t["q"], t["k"], t["v"], bias=False, attn_bias=t["bias"]
    ),
    "pre-norm decoder block: embeddings + positions, LayerNorm, causal MHA, gelu MLP, residuals (torch)": decoder_block,
    "msle (numpy, Flux's formula)": lambda t: np.mean(np.log((t["ŷ"] + EPS) / (t["y"] + EPS)) ** 2),
    "huberLoss delta 1, mean (torch huber_loss)": lambda t: F.huber_loss(T(t["ŷ"]), T(t["y"]), delta=1.0).numpy(),
    "huberLoss delta 0.5, agg sum (torch huber_loss)": lambda t: F.huber_loss(
        T(t["ŷ"]), T(t["y"]), delta=0.5, reduction="sum"
    ).numpy(),
    "kldivergence (numpy, Flux's formula)": lambda t: kl(t["ŷ"], t["y"]),
    "poissonLoss (numpy, Flux's formula)": lambda t: np.mean(t["ŷ"] - xlogy(t["y"], t["ŷ"])),
    "hingeLoss (numpy, Flux's formula)": lambda t: np.mean(np.maximum(0, 1 - t["ŷ"] * t["y"])),
    "squaredHingeLoss, agg sum (numpy, Flux's formula)": lambda t: np.sum(np.maximum(0, 1 - t["ŷ"] * t["y"]) ** 2),
    "diceCoeffLoss (numpy, Flux's formula)": lambda t: 1
    - (2 * np.sum(t["y"] * t["ŷ"]) + 1) / (np.sum(t["y"] ** 2) + np.sum(t["ŷ"] ** 2) + 1),
    "tverskyLoss beta 0.7 (numpy, Flux's formula)": lambda t: tversky(t["ŷ"], t["y"]),
    "binaryFocalLoss gamma 2 (numpy, Flux's formula)": lambda t: binary_focal(t["ŷ"], t["y"]),
    "focalLoss gamma 2, dims 1 (numpy, Flux's formula)": lambda t: focal(t["ŷ"], t["y"]),
    "Dense 3 => 4, relu (torch linear)": lambda t: F.relu(F.linear(T(t["x"].T), T(t["W"]), T(t["b"]))).numpy().T,
    "Scale(4, tanh) (numpy, Flux's formula)": lambda t: np.tanh(t["s"][:, None] * t["x"] + t["b"][:, None]),
    "LayerNorm(4) with affine parameters (torch layer_norm)": lambda t: unrev(
        F.layer_norm(rev(t["x"]), (4,), T(t["s"]), T(t["b"]), eps=1e-5)
    ),
    "BatchNorm(3) in training, batch statistics (torch batch_norm)": lambda t: batch_norm(t, True),
    "BatchNorm(3, relu) in test mode with running statistics (torch batch_norm)": lambda t: np.maximum(
        batch_norm(t, False), 0
    ),
    "Embedding 10 => 4 of token ids (torch embedding)": lambda t: F.embedding(
        torch.tensor(EMBEDDING_IDS), T(t["W"].T)
    ).numpy().T,
    "Chain(Dense(3 => 4, relu), Dense(4 => 2)) (numpy)": lambda t: linear(
        t["W2"], np.maximum(linear(t["W1"], t["x"], t["b1"]), 0), t["b2"]
    ),
    "Parallel(vcat, Dense(3 => 2), Dense(3 => 4, tanh)) (numpy)": lambda t: np.concatenate(
        [linear(t["W1"], t["x"], t["b1"]), np.tanh(linear(t["W2"], t["x"], t["b2"]))], axis=0
    ),
    "SkipConnection(Dense(4 => 4, tanh), +) (numpy)": lambda t: np.tanh(linear(t["W"], t["x"], t["b"])) + t["x"],
    "GroupNorm(4, 2) with affine parameters (torch group_norm)": lambda t: back(
        F.group_norm(nchw(t["x"]), 2, T(t["γ"]), T(t["β"]), eps=1e-5)
    ),
    "InstanceNorm(4) affine, instance statistics (torch instance_norm)": lambda t: back(
        F.instance_norm(nchw(t["x"]), weight=T(t["γ"]), bias=T(t["β"]), eps=1e-5)
    ),
    "InstanceNorm(4) in test mode with running statistics (torch instance_norm)": lambda t: back(
        F.instance_norm(
            nchw(t["x"]), T(t["μ"]), T(t["σ2"]), T(t["γ"]), T(t["β"]), use_input_stats=False, eps=1e-5
        )
    ),
    "Maxout of two Dense layers (numpy)": lambda t: np.maximum(
        linear(t["W1"], t["x"], t["b1"]), linear(t["W2"], t["x"], t["b2"])
    ),
    "Bilinear((5, 4) => 3, tanh) with bias (torch bilinear)": lambda t: torch.tanh(
        F.bilinear(T(t["x"].T), T(t["y"].T), T(t["W"]), T(t["b"]))
    ).numpy().T,
    "Conv 1-D (3,), 2 => 3, stride 2, pad 1 (torch conv1d, kernel flipped)": lambda t: conv_case(
        t, 1, stride=2, pad=(1, 1)
    ),
    "Conv 2-D groups 2, 4 => 6, pad (1, 0, 0, 1), relu (torch conv2d groups)": lambda t: np.maximum(
        conv_case(t, 2, pad=(1, 0, 0, 1), groups=2), 0
    ),
    "DepthwiseConv (3, 3), 3 => 6, no bias (torch conv2d groups = 3)": lambda t: conv_case(t, 2, groups=3),
    "Conv 3-D (2, 3, 2), 2 => 3, stride (1, 2, 1), asymmetric pad, dilation (1, 1, 2) (torch conv3d)": lambda t: conv_case(
        t, 3, stride=(1, 2, 1), pad=(1, 0, 1, 1, 0, 1), dilation=(2, 1, 1)
    ),
    "CrossCor (3, 3), 2 => 3, stride 2 (torch conv2d)": lambda t: conv_case(t, 2, flip=False, stride=2),
    "ConvTranspose (3, 3), 2 => 3, stride 2, pad 1, outpad 1 (torch conv_transpose2d)": lambda t: convT_case(
        t, 2, stride=2, padding=1, output_padding=1
    ),
    "ConvTranspose (2, 2), 2 => 2, stride 2, pad 2 > (k - 1) d: a cropped result (torch conv_transpose2d)": lambda t: convT_case(
        t, 2, stride=2, padding=2
    ),
    "ConvTranspose 1-D (3,), 4 => 2, groups 2, stride 3, dilation 2 (torch conv_transpose1d)": lambda t: convT_case(
        t, 1, stride=3, dilation=2, groups=2
    ),
    "MaxPool 1-D (3,), stride 2, pad 1 (torch max_pool1d)": lambda t: unrev(
        F.max_pool1d(rev(t["x"]), 3, stride=2, padding=1)
    ),
    "MeanPool 3-D (2, 2, 2), pad 1 (torch avg_pool3d, padding counted)": lambda t: unrev(
        F.avg_pool3d(rev(t["x"]), 2, padding=1, count_include_pad=True)
    ),
    "MaxPool 3-D (2, 2, 3), stride 2, pad 1 (torch max_pool3d)": lambda t: unrev(
        F.max_pool3d(rev(t["x"]), (3, 2, 2), stride=2, padding=1)
    ),
    "AdaptiveMaxPool (2, 3) of a 4 x 6 map (torch adaptive_max_pool2d)": lambda t: unrev(
        F.adaptive_max_pool2d(rev(t["x"]), (3, 2))
    ),
    "AdaptiveMeanPool (2,) of length 6 (torch adaptive_avg_pool1d)": lambda t: unrev(
        F.adaptive_avg_pool1d(rev(t["x"]), 2)
    ),
    "GlobalMaxPool of a 3-D map (torch amax)": lambda t: unrev(torch.amax(rev(t["x"]), dim=(2, 3, 4), keepdim=True)),
    "GlobalMeanPool (torch mean)": lambda t: unrev(torch.mean(rev(t["x"]), dim=(2, 3), keepdim=True)),
    "Upsample nearest, scale (2, 3) (torch interpolate nearest)": lambda t: unrev(
        F.interpolate(rev(t["x"]), scale_factor=(3, 2), mode="nearest")
    ),
    "Upsample bilinear to size (5, 7) (torch interpolate bilinear, align_corners)": lambda t: unrev(
        F.interpolate(rev(t["x"]), size=(7, 5), mode="bilinear", align_corners=True)
    ),
    "Upsample trilinear, scale 2 (torch interpolate trilinear, align_corners)": lambda t: unrev(
        F.interpolate(rev(t["x"]), scale_factor=2, mode="trilinear", align_corners=True)
    ),
    "PixelShuffle 2 (torch pixel_shuffle)": lambda t: unrev(F.pixel_shuffle(rev(t["x"]), 2)),
    "siameseContrastiveLoss margin 1 (numpy, Flux's formula)": lambda t: np.mean(
        (1 - t["y"]) * t["ŷ"] ** 2 + t["y"] * np.maximum(0, 1 - t["ŷ"]) ** 2
    ),
}


def main():
    specs = json.load(sys.stdin)
    out = [
        "// GENERATED by make_fixtures.py from the specs in cases.ts (see that script's docstring); do not edit.",
        "// Float64 reference outputs, column-major (Julia order), keyed by case name.",
        "export const FIXTURES: Readonly<Record<string, { readonly shape: readonly number[]; readonly values: readonly number[] }>> = {",
    ]
    missing = []
    for case in specs:
        name = case["name"]
        fn = CASES.get(name)
        if fn is None:
            missing.append(name)
            continue
        t = {k: det(v) for k, v in case["tensors"].items()}
        y = np.asarray(fn(t), dtype=np.float64)
        shape = list(y.shape)
        values = ", ".join(repr(float(v)) for v in y.flatten(order="F"))
        out.append(f"  {json.dumps(name)}: {{ shape: {json.dumps(shape)}, values: [{values}] }},")
    out.append("};")
    if missing:
        sys.exit("make_fixtures.py: no reference function for: " + "; ".join(missing))
    print("\n".join(out))


if __name__ == "__main__":
    main()
