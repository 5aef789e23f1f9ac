// Turns a generated shader template into WGSL for one variant (a value for each of its placeholders).
import { SHADERS, type ShaderName } from "./generated/shaders.js";

/** The placeholder values of one shader variant; omitted ones take the declared default. */
export type ShaderVariant = Readonly<Record<string, string | number | boolean>>;

/**
 * The WGSL text of one variant of a generated shader.
 *
 * Values must be among the ones the `.wgsl` source declares with `// @param` (numbers are written as
 * `64u`), so every variant that can run is also one the reflection test compiles. A variant with any
 * value `f16` starts with `enable f16;` (it needs a device with the `shader-f16` feature).
 */
export function renderShader(name: ShaderName, variant: ShaderVariant = {}): string {
  const shader = SHADERS[name];
  const params = shader.params as Record<string, readonly string[]>;
  for (const key of Object.keys(variant)) {
    if (!(key in params)) throw new Error(`[@flux/kernels] shader ${name} has no parameter "${key}"`);
  }
  let usesF16 = false;
  const body = shader.source.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const allowed = params[key]!;
    const given = variant[key];
    const value = given === undefined ? allowed[0]! : String(given);
    if (!allowed.includes(value)) {
      throw new Error(
        `[@flux/kernels] shader ${name}: ${key} = ${value} is not one of ${allowed.join(", ")}`,
      );
    }
    if (value === "f16") usesF16 = true;
    return value;
  });
  // WGSL wants the extension enabled before any declaration; only devices created with the
  // `shader-f16` feature accept it, and the backend renders f16 variants only on those.
  return usesF16 ? `enable f16;\n${body}` : body;
}

/**
 * Every variant a shader declares (the cartesian product of its params), for tests and warm-up.
 */
export function shaderVariants(name: ShaderName): ShaderVariant[] {
  const params = SHADERS[name].params as Record<string, readonly string[]>;
  let out: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(params)) {
    out = out.flatMap((v) => values.map((value) => ({ ...v, [key]: value })));
  }
  return out;
}
