// Parses and reflects every variant of every WGSL kernel with wgsl_reflect: runs on machines without a GPU,
// so a syntax error or a binding mismatch is caught before any adapter sees the shader.
import { describe, expect, it } from "vitest";
import { SHADERS, type ShaderName } from "./generated/shaders.js";
import { renderShader, shaderVariants } from "./shaderSource.js";

// The package's "main" is CommonJS inside a "type": "module" package, so Node cannot load it; its ESM build
// is the module file (typed by the package's own declarations).
const esmBuild = "wgsl_reflect/wgsl_reflect.module.js";
const { WgslReflect } = (await import(/* @vite-ignore */ esmBuild)) as typeof import("wgsl_reflect");

const names = Object.keys(SHADERS) as ShaderName[];

describe("generated WGSL", () => {
  it("has every kernel the backend dispatches", () => {
    expect(names.length).toBeGreaterThanOrEqual(20);
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
