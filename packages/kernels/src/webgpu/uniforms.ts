// The one way uniforms reach a shader: by field NAME, packed in the layout of the shader's WGSL
// `struct Params` as gen-wgsl.mjs read it from the source (SHADERS[name].uniforms). The generated
// `ShaderUniforms` type makes the compiler reject a missing or misspelt field; shaders.test.ts checks the
// generated layouts against wgsl_reflect's reading of every variant.
import { SHADERS, type ShaderName, type ShaderUniforms } from "./generated/shaders.js";

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

function word(v: number, type: string): number {
  if (type === "f32") {
    f32[0] = v;
    return f32Bits[0]!;
  }
  // u32 fields carry counts, codes and raw bits (reduceInit, scalarBits); i32 wraps as the GPU reads it.
  return type === "i32" ? (v | 0) >>> 0 : v >>> 0;
}

/** The uniform block's size of a shader, in 32-bit words (a multiple of 4: 16 bytes). */
export function uniformWords(name: ShaderName): number {
  return SHADERS[name].uniforms.words;
}

/**
 * Writes a shader's uniform values into `words` from word `at`: each field at its offset, f32 fields as
 * float bits, arrays (dims, strides) padded with zeros, padding fields (`_p0`...) zero.
 */
export function packUniforms<N extends ShaderName>(
  name: N,
  values: ShaderUniforms[N],
  words: Uint32Array = new Uint32Array(uniformWords(name)),
  at = 0,
): Uint32Array {
  const given = values as unknown as Record<string, number | readonly number[] | undefined>;
  for (const [field, offset, type, size] of SHADERS[name].uniforms.fields) {
    const o = at + offset;
    if (field.startsWith("_")) {
      words.fill(0, o, o + size);
      continue;
    }
    const v = given[field];
    if (v === undefined) {
      throw new Error(`[@flux/kernels] internal error: shader ${name} needs the uniform "${field}"`);
    }
    if (typeof v === "number") words[o] = word(v, type);
    else for (let i = 0; i < size; i++) words[o + i] = word(v[i] ?? 0, type);
  }
  return words;
}
