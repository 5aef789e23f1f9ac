// Parses and reflects every variant of every WGSL kernel with wgsl_reflect: runs on machines without a GPU,
// so a syntax error or a binding mismatch is caught before any adapter sees the shader. Also checks that
// the host and the shaders agree: every shader the host code names exists and every shader is dispatched
// by some host code, and each shader's uniform layout (what packUniforms writes) is where WGSL reads it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SHADERS, type ShaderName } from "./generated/shaders.js";
import { renderShader, shaderVariants } from "./shaderSource.js";
import { packUniforms } from "./uniforms.js";

// The package's "main" is CommonJS inside a "type": "module" package, so Node cannot load it; its ESM build
// is the module file (typed by the package's own declarations).
const esmBuild = "wgsl_reflect/wgsl_reflect.module.js";
const { WgslReflect } = (await import(/* @vite-ignore */ esmBuild)) as typeof import("wgsl_reflect");

const names = Object.keys(SHADERS) as ShaderName[];

/** The host code of the WebGPU backend (every .ts under webgpu/ but tests and generated code). */
function hostSources(): { file: string; text: string }[] {
  const dir = fileURLToPath(new URL(".", import.meta.url));
  const out: { file: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) {
        if (e !== "generated") walk(p);
      } else if (e.endsWith(".ts") && !e.endsWith(".test.ts"))
        out.push({ file: p, text: readFileSync(p, "utf8") });
    }
  };
  walk(dir);
  return out;
}

/** The shader names host code passes to a dispatch: the string literals of calls and kernel unions. */
function dispatchedNames(): Set<string> {
  const found = new Set<string>();
  for (const { text } of hostSources()) {
    // dispatch1d(ctx, "unary", ...), exec.dispatch("reduce", ...), cmp ? "compare" : "binary" in either
    for (const m of text.matchAll(/dispatch(?:1d)?\(\s*(?:ctx,\s*)?([^,]+),/g)) {
      for (const lit of m[1]!.matchAll(/"([a-z0-9_]+)"/g)) found.add(lit[1]!);
    }
    // Kernels chosen at run time are typed as unions of literal names (matmul/plan.ts: MatmulKernel,
    // ops/recurrent.ts: the step kernels).
    for (const m of text.matchAll(/(?:export )?type \w*Kernel = ([^;]+);/g)) {
      for (const lit of m[1]!.matchAll(/"([a-z0-9_]+)"/g)) found.add(lit[1]!);
    }
  }
  return found;
}

describe("generated WGSL", () => {
  it("every shader the host dispatches exists, and every shader is dispatched", () => {
    const dispatched = dispatchedNames();
    expect(
      [...dispatched].filter((n) => !(n in SHADERS)),
      "dispatched but missing",
    ).toEqual([]);
    expect(
      names.filter((n) => !dispatched.has(n)),
      "shaders nothing dispatches",
    ).toEqual([]);
  });
  for (const name of names) {
    it(`${name}: the uniform layout matches the WGSL struct Params of every variant`, () => {
      const layout = SHADERS[name].uniforms;
      for (const variant of shaderVariants(name)) {
        const r = new WgslReflect(renderShader(name, variant));
        const type = r.uniforms[0]!.type as unknown as {
          name: string;
          size: number;
          members: { name: string; offset: number; size: number }[];
        };
        expect(type.name).toBe("Params");
        expect(
          layout.fields.map(([field, offset, , words]) => [field, offset * 4, words * 4]),
          `${name} ${JSON.stringify(variant)}`,
        ).toEqual(type.members.map((m) => [m.name, m.offset, m.size]));
        expect(layout.words * 4).toBe(type.size);
      }
    });
  }
  it("packUniforms writes each field by name at its offset (floats as bits, arrays zero-padded)", () => {
    const words = packUniforms("unary", { n: 5, op: 7, param: 1.5 });
    expect(Array.from(words)).toEqual([5, 7, 0x3fc00000, 0]);
    const b = packUniforms("binary", { n: 6, op: 2, rank: 2, shape: [2, 3], sa: [1, 2], sb: [0, 1] });
    expect(Array.from(b)).toEqual([
      6, 2, 2, 0, 2, 3, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
    ]);
    expect(() => packUniforms("unary", { n: 1, op: 0 } as never)).toThrow(/needs the uniform "param"/);
  });
  for (const name of names) {
    it(`${name}: every variant parses, has one compute entry point "main" and binds a uniform at 0`, () => {
      for (const variant of shaderVariants(name)) {
        const code = renderShader(name, variant);
        expect(code, `${name} ${JSON.stringify(variant)} left a placeholder`).not.toMatch(/\{\{/);
        const r = new WgslReflect(code);
        expect(r.entry.compute.map((e) => e.name)).toEqual(["main"]);
        expect(r.uniforms.map((u) => [u.group, u.binding])).toEqual([[0, 0]]);
        expect(r.storage.length).toBeGreaterThanOrEqual(1);
      }
    });
  }
  // The kernels an f16 tensor runs through on a shader-f16 device: each must have f16 variants (storage
  // f16, accumulation f32 where the kernel sums), and those must enable the extension first.
  const f16Kernels: ShaderName[] = [
    "unary",
    "binary",
    "compare",
    "where",
    "copy",
    "fill",
    "cast",
    "reduce",
    "reduce_small",
    "softmax",
    "softmax_grad",
    "matmul_reg",
    "matmul_tiled",
    "matmul_vec4",
  ];
  for (const name of f16Kernels) {
    it(`${name}: has f16 variants that enable the extension and bind f16 storage`, () => {
      const f16 = shaderVariants(name).filter((v) => Object.values(v).includes("f16"));
      expect(f16.length).toBeGreaterThan(0);
      for (const variant of f16) {
        const code = renderShader(name, variant);
        expect(code.startsWith("enable f16;\n")).toBe(true);
        const r = new WgslReflect(code);
        const formats = r.storage.map((s) => JSON.stringify(s.type));
        expect(
          formats.some((f) => f.includes('"f16"')),
          `${name} ${JSON.stringify(variant)}`,
        ).toBe(true);
      }
      for (const variant of shaderVariants(name).filter((v) => !Object.values(v).includes("f16"))) {
        expect(renderShader(name, variant)).not.toMatch(/\bf16\b/);
      }
    });
  }
  it("accumulates f16 reductions and matmuls in f32", () => {
    const red = renderShader("reduce", { dtype: "f16", acc: "f32" });
    expect(red).toMatch(/var<workgroup> partial: array<A, WG>/);
    expect(red).toMatch(/alias A = f32;/);
    expect(renderShader("matmul_tiled", { dtype: "f16" })).toMatch(/var acc0 = vec4<f32>/);
    expect(renderShader("matmul_vec4", { dtype: "f16" })).toMatch(/var acc = mat4x4<f32>/);
  });
  it("rejects a value a shader does not declare", () => {
    expect(() => renderShader("unary", { dtype: "f64" })).toThrow(/not one of/);
  });
});
