"""PyTorch side of the @flux bench's model table: the same models, written the way PyTorch users write them.

A line server, so that the JS harness can interleave PyTorch's measurements with ours (one cell at a time):
it prints ONE JSON line {"info": {...}} when ready, then answers each request line
{"cell": {...}, "threads": int, "budget_s": float, "min_sample_s": float, "max_reps": int, "slow_s": float}
with one line {"result": {"median_s", "reps", "inner", "min_s", "max_s"}} or {"error": "..."}.
It exits at the end of its input.

PyTorch eager on the CPU, float32, row-major (x is [batch, 784] or [batch, 1, 28, 28]). A training step is
`zero_grad(); cross_entropy(model(x), y).backward(); step()` with torch.optim.Adam(lr=1e-3) (PyTorch's
default implementation for CPU tensors, foreach); inference is `model(x)` under torch.inference_mode().
Timing is bench_measure.py (the loop numpy_bench.py uses too, mirroring measure.mjs), with the process CPU time
per call beside the wall time.
"""

import json
import platform
import sys

import torch
import torch.nn.functional as F
from torch import nn
from bench_measure import measure
from torch_sequence import SEQUENCE_MODELS, sequence_step


def model_of(cell):
    """The cell's model and input batch (the shapes of TORCH_MLP_SIZES / TORCH_CNN in workloads.mjs)."""
    batch = cell["batch"]
    if cell["model"] == "mlp":
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
        x = torch.randn(batch, 784)
    else:
        model = nn.Sequential(
            nn.Conv2d(1, 16, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(800, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )
        x = torch.randn(batch, 1, 28, 28)
    labels = torch.tensor([(j * 7) % 10 for j in range(batch)])
    return model, x, labels


def prepare(cell):
    if cell["model"] in SEQUENCE_MODELS:
        return sequence_step(cell)
    model, x, labels = model_of(cell)
    if cell["kind"] == "model-infer":
        model.eval()

        def infer():
            with torch.inference_mode():
                model(x)

        return infer
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()

    return step


def info():
    return {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "default_threads": torch.get_num_threads(),
        "mkldnn": bool(torch.backends.mkldnn.is_available()),
        "mkl": bool(torch.backends.mkl.is_available()),
    }


def main():
    torch.manual_seed(0)
    print(json.dumps({"info": info()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            torch.set_num_threads(int(req["threads"]))
            run = prepare(req["cell"])
            m = measure(run, req["budget_s"], req["min_sample_s"], req["max_reps"], req["slow_s"], cpu_time=True)
            out = {"result": m}
        except Exception as e:  # one failing cell must not end the others
            out = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
