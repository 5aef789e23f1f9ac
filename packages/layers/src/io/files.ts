// File IO for safetensors. `node:fs` is imported only when these are called, so the package loads in
// browsers (use saveBytes/loadBytes there).
import { checkNotPromise } from "@flux/functors";
import { writeFileAtomic } from "@flux/kernels";
import { checkPath, withFileErrors } from "./fileErrors.js";
import { loadBytes } from "./loadBytes.js";
import type { LoadOptions, SaveOptions } from "./options.js";
import { saveBytes } from "./saveBytes.js";

// The module name sits in a variable so that browser bundlers do not try to resolve a Node built-in.
const FS_PROMISES = "node:fs/promises";

async function fs(): Promise<typeof import("node:fs/promises")> {
  return import(/* @vite-ignore */ FS_PROMISES);
}

/**
 * Writes the model's tensors to a `.safetensors` file (Node, Bun, Deno). See `saveBytes` for the format
 * and `options.names` (`"pytorch"` writes the names of PyTorch's `state_dict`).
 *
 * The write is atomic: the bytes go to a temporary file in the same folder, are flushed, and the
 * temporary file is renamed over `path`. A failure part way (a full disk, a file-size limit, a killed
 * process) leaves the old file as it was, never a truncated one. A path that cannot be written (a missing
 * folder, no permission, a full disk) throws `SafetensorsError` `ERR_SAFETENSORS_FILE` naming it.
 *
 * @example
 * await save("model.safetensors", model);
 * await save("for-torch.safetensors", model, { names: "pytorch" });
 */
export async function save(path: string, m: unknown, options?: SaveOptions): Promise<void> {
  checkPath(path, "save");
  checkNotPromise(m, "save", "model");
  const bytes = await saveBytes(m, options);
  await withFileErrors("save", "write", path, () => writeFileAtomic(path, bytes));
}

/**
 * Reads a `.safetensors` file into `m` in place and returns `m` (see `loadBytes` for the checks and the
 * options).
 *
 * @example
 * const m = await load("model.safetensors", Chain(Dense(784, 32, relu), Dense(32, 10)));
 */
export async function load<T>(path: string, m: T, options?: LoadOptions): Promise<T> {
  checkPath(path, "load");
  checkNotPromise(m, "load", "model");
  const bytes = await withFileErrors("load", "read", path, async () => (await fs()).readFile(path));
  return loadBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), m, options);
}
