// Which matmul kernel runs a given problem on a given adapter. CPU-backed adapters (SwiftShader, or any
// `isFallbackAdapter`) prefer register blocking without shared memory (measured on Dawn's
// SwiftShader: 16x16 shared-memory tiles ran at 0.04-0.08 GFLOPS, a 4x4 register kernel at 0.6-0.9); real GPUs prefer shared-memory tiles. The vec4 register kernel needs aligned
// dims and is used wherever they are.
import type { ShaderName } from "../generated/shaders.js";

/** The matmul kernels this backend has. */
export type MatmulKernel = "matmul_vec4" | "matmul_reg" | "matmul_tiled";

/** A problem's dims (column-major C[M×N] = op(A)·op(B), inner dim K) and transposes. */
export interface MatmulProblem {
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

/** Preference of one adapter for general (unaligned) problems; an autotune may replace it. */
export interface MatmulPreference {
  general: Exclude<MatmulKernel, "matmul_vec4">;
  /** Whether to use the vec4 kernel when the problem is aligned. */
  useVec4: boolean;
}

/**
 * The default preference for an adapter from what it says about itself.
 */
export function defaultPreference(
  info: { architecture?: string; vendor?: string; description?: string },
  isFallback: boolean,
): MatmulPreference {
  return isCpuBacked(info, isFallback)
    ? { general: "matmul_reg", useVec4: true }
    : { general: "matmul_tiled", useVec4: false };
}

/**
 * Whether an adapter runs on the CPU (a fallback adapter, or a known software rasterizer).
 */
export function isCpuBacked(
  info: { architecture?: string; vendor?: string; description?: string },
  isFallback: boolean,
): boolean {
  return (
    isFallback ||
    /swiftshader|llvmpipe|lavapipe|warp/i.test(`${info.architecture} ${info.vendor} ${info.description}`)
  );
}

/**
 * Whether the vec4 kernel can run a problem: every vec4 it loads or stores must be aligned, which holds
 * when K and M are multiples of 4 and, with transB, N too.
 */
export function vec4Eligible(p: MatmulProblem): boolean {
  return p.K % 4 === 0 && p.M % 4 === 0 && (!p.transB || p.N % 4 === 0);
}

/**
 * The kernel for one problem.
 */
export function chooseMatmulKernel(p: MatmulProblem, pref: MatmulPreference): ShaderName & MatmulKernel {
  if (pref.useVec4 && vec4Eligible(p)) return "matmul_vec4";
  return pref.general;
}
