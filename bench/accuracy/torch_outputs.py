#!/usr/bin/env python3
"""Writes PyTorch's CPU results on a fixed set of adversarial rows, in float32 or float64: softmax,
log_softmax, logsumexp, per-row cross_entropy, element-wise binary_cross_entropy_with_logits, sigmoid and
logsigmoid.

The test io.github.logits4j.PyTorchComparisonTest reads the file this writes, computes the exact results
with its double-double oracle, and checks that logits4j's maximum error on the same rows is no larger
than PyTorch's. Run it again only to refresh the reference file:

    /usr/bin/python3 bench/accuracy/torch_outputs.py src/test/resources/pytorch-float32.bin.gz
    /usr/bin/python3 bench/accuracy/torch_outputs.py src/test/resources/pytorch-float64.bin.gz float64

File layout (little endian, gzip), every value in the file's dtype: int32 count of rows, then per row:
int32 cols, x[cols], softmax[cols], log_softmax[cols], logsumexp, cross_entropy with the top label (the
tiny loss of a confident row), cross_entropy with label 0, bce[cols] with targets 0, 1, 0.25 repeating,
sigmoid[cols], logsigmoid[cols]. The float64 rows are drawn in float64, not widened from float32.
"""
import gzip, struct, sys

import numpy as np
import torch


def rows(rng, dtype):
    out = []
    for cols in (3, 7, 16, 17, 33, 64, 100, 257, 1000):
        for regime in ("small", "spread", "mixed", "confident", "certain", "underflow", "masked", "ties"):
            for _ in range(3):
                if regime == "small":
                    x = rng.standard_normal(cols) * rng.choice([1.0, 4.0, 10.0])
                elif regime == "spread":
                    top = rng.uniform(-50, 50)
                    x = top - rng.uniform(0, 100, cols)
                    x[rng.integers(cols)] = top
                elif regime == "mixed":
                    x = rng.choice([-1, 1], cols) * 10.0 ** rng.uniform(-10, 3, cols)
                elif regime == "confident":
                    top = rng.standard_normal() * 5
                    x = top - rng.uniform(15, 40) - rng.uniform(0, 10, cols)
                    x[rng.integers(cols)] = top
                elif regime == "certain":
                    # top probability about 1 - 1e-9
                    top = rng.standard_normal() * 5
                    x = top - np.log(max(cols - 1, 1) * 1e9) + rng.uniform(-0.5, 0.5, cols)
                    x[rng.integers(cols)] = top
                elif regime == "underflow":
                    x = -80 - rng.uniform(0, 30, cols)
                    x[rng.integers(cols)] = 0
                elif regime == "masked":
                    x = rng.standard_normal(cols) * 4
                    x[rng.random(cols) < 0.3] = -np.inf
                    x[rng.integers(cols)] = rng.standard_normal() * 4
                else:
                    x = rng.choice([-1.0, 0.0, 0.5, 1.0, 2.0], cols)
                out.append(x.astype(dtype))
    return out


def main():
    path = sys.argv[1]
    dtype = np.dtype(sys.argv[2] if len(sys.argv) > 2 else "float32")
    code = "<f4" if dtype == np.float32 else "<f8"
    torch.set_num_threads(1)
    rng = np.random.default_rng(20261127 if dtype == np.float32 else 20261128)
    data = rows(rng, dtype)
    with gzip.open(path, "wb") as f:
        f.write(struct.pack("<i", len(data)))
        for x in data:
            t = torch.from_numpy(x).reshape(1, -1)
            sm = torch.softmax(t, 1).numpy().ravel().astype(code)
            ls = torch.log_softmax(t, 1).numpy().ravel().astype(code)
            lse = torch.logsumexp(t, 1).numpy().astype(code)
            f.write(struct.pack("<i", x.size))
            f.write(x.astype(code).tobytes())
            f.write(sm.tobytes())
            f.write(ls.tobytes())
            f.write(lse.tobytes())
            top = torch.argmax(t, 1)
            for label in (top, torch.zeros(1, dtype=torch.long)):
                ce = torch.nn.functional.cross_entropy(t, label, reduction="none")
                f.write(ce.numpy().astype(code).tobytes())
            z = torch.tensor([(0.0, 1.0, 0.25)[j % 3] for j in range(x.size)], dtype=t.dtype).reshape(1, -1)
            bce = torch.nn.functional.binary_cross_entropy_with_logits(t, z, reduction="none")
            f.write(bce.numpy().ravel().astype(code).tobytes())
            f.write(torch.sigmoid(t).numpy().ravel().astype(code).tobytes())
            f.write(torch.nn.functional.logsigmoid(t).numpy().ravel().astype(code).tobytes())
    print(f"torch {torch.__version__}: wrote {len(data)} {dtype} rows to {path}")


if __name__ == "__main__":
    main()
