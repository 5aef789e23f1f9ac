// What the PyTorch comparison tests share: whether python3 has torch, and a Python prelude that writes and
// reads safetensors files by hand (torch has no safetensors writer without the extra package). Test support
// only: nothing in the package imports it.
import { spawnSync } from "node:child_process";

/** True when `python3 -c "import torch"` works here (CI has no torch: the comparisons skip there). */
export const hasTorch = spawnSync("python3", ["-c", "import torch"]).status === 0;

/** Python: imports, `write(path, state_dict)` and `read(path)` for F32 and I64 tensors. */
export const SAFETENSORS_PY = `
import json, struct, sys
import torch
from torch import nn

DT = {torch.float32: "F32", torch.int64: "I64"}
TD = {"F32": torch.float32, "I64": torch.int64}

def write(path, sd):
    header, blobs, at = {}, [], 0
    for k, t in sd.items():
        raw = t.detach().contiguous().numpy().tobytes()
        header[k] = {"dtype": DT[t.dtype], "shape": list(t.shape), "data_offsets": [at, at + len(raw)]}
        blobs.append(raw); at += len(raw)
    h = json.dumps(header).encode()
    open(path, "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

def read(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    out = {}
    for k, v in json.loads(b[8:8 + n]).items():
        if k == "__metadata__": continue
        s, e = v["data_offsets"]
        out[k] = torch.frombuffer(bytearray(b[8 + n + s:8 + n + e]), dtype=TD[v["dtype"]]).reshape(v["shape"]).clone()
    return out
`;
