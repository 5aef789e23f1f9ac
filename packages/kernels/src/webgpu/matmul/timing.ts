// The autotuner's stopwatch on a real device: one warm-up dispatch (pipeline creation and first-touch
// costs), then `reps` dispatches each timed from submit to `onSubmittedWorkDone`. Wall time around the
// queue, not timestamp queries: those need an optional feature and a resolve/readback per sample, and
// for picking the fastest of 2-3 kernels the queue round trip (tens of µs) is small next to a matmul
// worth tuning. The work runs on the tensor's own queue; work the program records meanwhile only adds
// time, and each kernel's best sample counts.
import type { MeasureMatmul } from "../autotune.js";
import type { WebGPUBackend } from "../backend.js";

/**
 * A `MeasureMatmul` that times kernels on a backend's device with operands of the problem's size.
 */
export function gpuMatmulTimer(backend: WebGPUBackend): MeasureMatmul {
  return async (kernel, p, dtype, reps) => {
    const sizeA = p.M * p.K;
    const sizeB = p.K * p.N;
    // Values do not matter for timing, only that they are finite: small integers are exact in f16 too.
    const fill = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
    const a = backend.upload(fill(sizeA), dtype);
    const b = backend.upload(fill(sizeB), dtype);
    const c = backend.upload(new Float32Array(p.M * p.N), dtype);
    const run = () => backend.recordMatmul(kernel, a.buffer, b.buffer, c.buffer, p, 0, 0, 1, dtype);
    try {
      run();
      await backend.sync();
      const times: number[] = [];
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        run();
        await backend.sync();
        times.push(performance.now() - t0);
      }
      return times;
    } finally {
      backend.dispose(a);
      backend.dispose(b);
      backend.dispose(c);
    }
  };
}
