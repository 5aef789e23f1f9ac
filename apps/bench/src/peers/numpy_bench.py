"""numpy side of the @flux bench: the same workloads as the JS harness, timed the same way.

Reads a JSON request on stdin: {"cells": [{"id", "kind", ...}], "budget_s": float, "min_sample_s": float,
"max_reps": int, "slow_s": float} and prints ONE JSON object on stdout: {"info": {...}, "results": {id: measurement}}.
A measurement is {"median_s", "reps", "inner", "min_s", "max_s", "note"} or {"error": "..."}.
Row-major float32 throughout (numpy's natural layout); the FLOP counts match the column-major JS side.
"""

import json
import platform
import sys

import numpy as np
from bench_measure import measure


def mlp_params(rng, sizes):
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        w = (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        params.append([w, np.zeros(fan_out, np.float32)])
    return params


def forward(params, x):
    """relu hidden layers, linear output; also returns the activations the backward pass needs."""
    acts = [x]
    h = x
    for i, (w, b) in enumerate(params):
        z = h @ w
        z += b
        if i < len(params) - 1:
            np.maximum(z, 0, out=z)
        acts.append(z)
        h = z
    return h, acts


def train_step_fn(params, x, labels, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """softmax cross-entropy (mean over the batch) + hand-written backprop + Adam, all in place."""
    batch = x.shape[0]
    onehot = np.zeros((batch, params[-1][0].shape[1]), np.float32)
    onehot[np.arange(batch), labels] = 1
    state = [[np.zeros_like(p), np.zeros_like(p)] for layer in params for p in layer]
    flat = [p for layer in params for p in layer]
    step = [0]

    def run():
        logits, acts = forward(params, x)
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        probs = e / e.sum(axis=1, keepdims=True)
        _loss = float(-(np.log(probs[onehot > 0])).mean())
        delta = (probs - onehot) / batch
        grads = []
        for i in range(len(params) - 1, -1, -1):
            w, _b = params[i]
            grads.append((i, delta.sum(axis=0), acts[i].T @ delta))
            if i > 0:
                delta = delta @ w.T
                delta *= acts[i] > 0
        by_layer = {i: (gw, gb) for i, gb, gw in grads}
        gflat = [g for i in range(len(params)) for g in by_layer[i]]
        step[0] += 1
        t = step[0]
        c1 = 1 - beta1**t
        c2 = 1 - beta2**t
        for p, g, (m, v) in zip(flat, gflat, state):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * (g * g)
            p -= (lr / c1) * m / (np.sqrt(v / c2) + eps)

    return run


def prepare(cell, rng):
    kind = cell["kind"]
    if kind == "matmul":
        n = cell["n"]
        a = rng.standard_normal((n, n)).astype(np.float32)
        b = rng.standard_normal((n, n)).astype(np.float32)
        out = np.empty((n, n), np.float32)
        return lambda: np.matmul(a, b, out=out)
    if kind == "mlp-forward":
        params = mlp_params(rng, cell["sizes"])
        x = rng.standard_normal((cell["batch"], cell["sizes"][0])).astype(np.float32)
        return lambda: forward(params, x)
    if kind == "mlp-train":
        params = mlp_params(rng, cell["sizes"])
        x = rng.standard_normal((cell["batch"], cell["sizes"][0])).astype(np.float32)
        labels = rng.integers(0, cell["sizes"][-1], cell["batch"])
        return train_step_fn(params, x, labels)
    if kind == "axpb-relu":
        n = cell["n"]
        x = rng.standard_normal(n).astype(np.float32)
        out = np.empty(n, np.float32)
        a = np.float32(cell["a"])
        b = np.float32(cell["b"])

        def run():
            # numpy's fastest form: three passes into one preallocated buffer, no temporaries.
            np.multiply(x, a, out=out)
            np.add(out, b, out=out)
            np.maximum(out, 0, out=out)

        return run
    raise ValueError(f"unknown workload kind {kind!r}")


def blas_info():
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no dict mode
        return "unknown"


def main():
    req = json.load(sys.stdin)
    rng = np.random.default_rng(0)
    results = {}
    for cell in req["cells"]:
        try:
            run = prepare(cell, rng)
            results[cell["id"]] = measure(run, req["budget_s"], req["min_sample_s"], req["max_reps"], req["slow_s"])
        except Exception as e:  # one failing cell must not hide the others
            results[cell["id"]] = {"error": f"{type(e).__name__}: {e}"}
    info = {"numpy": np.__version__, "python": platform.python_version(), "blas": blas_info()}
    json.dump({"info": info, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
