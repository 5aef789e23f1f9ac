// File IO for safetensors. `node:fs/promises` is imported only when these are called, so the package
// loads in browsers (use saveBytes/loadBytes there).
import { loadBytes } from "./loadBytes";
import { saveBytes } from "./saveBytes";

// The module name sits in a variable so that browser bundlers do not try to resolve a Node built-in.
const FS_PROMISES = "node:fs/promises";

async function fs(): Promise<typeof import("node:fs/promises")> {
  return import(/* @vite-ignore */ FS_PROMISES);
}

/**
 * Writes the model's tensors to a `.safetensors` file (Node, Bun, Deno). See `saveBytes` for the format.
 *
 * @example
 * await save("model.safetensors", model);
 */
export async function save(path: string, m: unknown): Promise<void> {
  const bytes = await saveBytes(m);
  await (await fs()).writeFile(path, bytes);
}

/**
 * Reads a `.safetensors` file into `m` in place and returns `m` (see `loadBytes` for the checks).
 *
 * @example
 * const m = await load("model.safetensors", Chain(Dense(784, 32, relu), Dense(32, 10)));
 */
export async function load<T>(path: string, m: T): Promise<T> {
  const bytes = await (await fs()).readFile(path);
  return loadBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), m);
}
