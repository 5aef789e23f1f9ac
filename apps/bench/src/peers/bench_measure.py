"""The timing loop of the python peers (numpy_bench.py, torch_bench.py), written once.

It mirrors apps/bench/src/measure.mjs: one warm-up call (a second when it was quick), then enough calls per
sample to last min_sample_s, samples until budget_s is spent (at least three, at most max_reps), and the
median seconds per call.
"""

import math
import statistics
import time


def measure(run, budget_s, min_sample_s, max_reps, slow_s, cpu_time=False):
    """Median seconds per call after warm-up; with cpu_time, also the median process CPU seconds per call
    (read outside the wall-clock window, so the wall times are the same either way)."""
    t0 = time.perf_counter()
    run()
    first = time.perf_counter() - t0
    if first > slow_s:
        return {"median_s": first, "reps": 1, "inner": 1, "min_s": first, "max_s": first, "note": "one run (slow)"}
    if first < budget_s / 4:
        t0 = time.perf_counter()
        run()
        first = min(first, time.perf_counter() - t0)
    inner = max(1, int(math.ceil(min_sample_s / max(first, 1e-7))))
    samples = []
    cpu = []
    deadline = time.perf_counter() + budget_s
    while len(samples) < 3 or (time.perf_counter() < deadline and len(samples) < max_reps):
        c0 = time.process_time() if cpu_time else 0.0
        t0 = time.perf_counter()
        for _ in range(inner):
            run()
        samples.append((time.perf_counter() - t0) / inner)
        if cpu_time:
            cpu.append((time.process_time() - c0) / inner)
        if first > budget_s:
            break
    result = {
        "median_s": statistics.median(samples),
        "reps": len(samples),
        "inner": inner,
        "min_s": min(samples),
        "max_s": max(samples),
    }
    if cpu_time:
        result["cpu_median_s"] = statistics.median(cpu)
    return result
