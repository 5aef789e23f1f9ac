// The compiled kernels and the worker script, as strings in generated TypeScript modules.
//
// Why a plain static import of generated/: it is the one form that every bundler and runtime loads with no
// plugin, from src/ and from dist/ alike, and it lets sgemm instantiate synchronously on its first call.
// generated/ is build output (gitignored, never checked in): `npm run build:wasm -w @flux/kernels` writes it
// in about 3 s, and `npm run build` runs that first. A checkout that has not built it fails at import with
// "Cannot find module './generated/wasmModules'": run that command (the repository's test and typecheck
// runs build first for this reason).
import {
  activationSimd,
  affineSimd,
  biasSimd,
  convSimd,
  optimiserSimd,
  poolSimd,
  recurrentSimd,
  relaxed,
  relaxedShared,
  simd,
  simdShared,
} from "./generated/wasmModules.js";
import { workerSource } from "./generated/workerSource.js";

const builds = { relaxedShared, simdShared, relaxed, simd };

/** The four builds of assembly/sgemm.ts: relaxed or plain SIMD, with shared (threads) or unshared memory. */
export type WasmBuildName = keyof typeof builds;

const decoded = new Map<WasmBuildName, Uint8Array>();

function fromBase64(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The bytes of one build of the GEMM kernel (decoded once from base64). */
export function wasmBuildBytes(name: WasmBuildName): Uint8Array {
  let bytes = decoded.get(name);
  if (!bytes) {
    bytes = fromBase64(builds[name]);
    decoded.set(name, bytes);
  }
  return bytes;
}

/** The bytes of the fused element-wise SIMD kernel (assembly/affine.ts; a few hundred bytes). */
export function affineSimdBytes(): Uint8Array {
  return fromBase64(affineSimd);
}

/** The bytes of the LSTM gate-pass SIMD kernel (assembly/recurrent.ts). */
export function recurrentSimdBytes(): Uint8Array {
  return fromBase64(recurrentSimd);
}

/** The bytes of the 2x2 max-pooling SIMD kernel (assembly/pool.ts; under a kilobyte). */
export function poolSimdBytes(): Uint8Array {
  return fromBase64(poolSimd);
}

/** The bytes of the per-channel bias + activation SIMD kernel (assembly/bias.ts; a few hundred bytes). */
export function biasSimdBytes(): Uint8Array {
  return fromBase64(biasSimd);
}

/** The bytes of the fused optimiser step's SIMD kernel (assembly/optimiser.ts; a few KiB). */
export function optimiserSimdBytes(): Uint8Array {
  return fromBase64(optimiserSimd);
}

/** The bytes of the exp-based SIMD kernels (assembly/activation.ts: gelu, its gradient, softmax). */
export function activationSimdBytes(): Uint8Array {
  return fromBase64(activationSimd);
}

/** The bytes of the im2col / col2im SIMD kernel (assembly/conv.ts; under a kilobyte). */
export function convSimdBytes(): Uint8Array {
  return fromBase64(convSimd);
}

/** The GEMM worker's script (src/cpu/wasm/worker.ts bundled by the build). */
export function gemmWorkerSource(): string {
  return workerSource;
}
