// Runtime detection and runtime-neutral access to the environment and to `node:fs`, so that the package
// stays importable in browsers (no static `node:` import) and never triggers a Deno permission prompt.
import type { PrefsFs } from "./preferencesFile.js";

/** The JavaScript runtime we are in. */
export type RuntimeName = "node" | "bun" | "deno" | "browser" | "other";

interface DenoLike {
  env: { get(name: string): string | undefined };
  permissions?: { querySync?(desc: { name: string; path?: string; variable?: string }): { state: string } };
  cwd(): string;
}
interface ProcessLike {
  versions?: Record<string, string | undefined>;
  env?: Record<string, string | undefined>;
  cwd?(): string;
  getBuiltinModule?(name: string): unknown;
}

const g = globalThis as { Deno?: DenoLike; process?: ProcessLike; localStorage?: Storage; window?: unknown };

/**
 * Which runtime runs this code.
 */
export function runtimeName(): RuntimeName {
  if (g.Deno !== undefined) return "deno";
  if (g.process?.versions?.bun !== undefined) return "bun";
  if (g.process?.versions?.node !== undefined) return "node";
  if (g.window !== undefined || g.localStorage !== undefined) return "browser";
  return "other";
}

/** @internal Whether Deno has granted a permission WITHOUT asking (a query never prompts). */
export function denoGranted(desc: { name: string; path?: string; variable?: string }): boolean {
  const q = g.Deno?.permissions?.querySync;
  if (q === undefined) return false;
  try {
    return q.call(g.Deno?.permissions, desc).state === "granted";
  } catch {
    return false;
  }
}

/**
 * Reads an environment variable: @flux/kernels' shared `readEnv` (`undefined` where unset, empty, or not
 * readable without a permission the user did not grant, e.g. Deno without `--allow-env`; never prompts).
 *
 * @example
 * readEnv("FLUX_GPU_BACKEND"); // "webgpu" or undefined
 */
export { readEnv } from "@flux/kernels";

/** The subset of `node:fs` we use (the preference file's needs, see ./preferencesFile.ts). */
export interface FsLike extends PrefsFs {}

/**
 * `node:fs` where the runtime has it (Node, Bun, Deno), else `null` (browsers). Synchronous where the
 * runtime offers `process.getBuiltinModule` (Node >= 20.16, Bun, Deno 2); otherwise a dynamic import.
 */
export async function loadFs(): Promise<FsLike | null> {
  const sync = loadFsSync();
  if (sync !== null) return sync;
  const rt = runtimeName();
  if (rt !== "node" && rt !== "bun" && rt !== "deno") return null;
  try {
    const spec = "node:fs"; // a variable, so browser bundlers do not try to resolve it
    return (await import(/* @vite-ignore */ spec)) as FsLike;
  } catch {
    return null;
  }
}

/** `node:fs` synchronously when `process.getBuiltinModule` exists, else `null`. */
export function loadFsSync(): FsLike | null {
  try {
    return (g.process?.getBuiltinModule?.("node:fs") as FsLike | undefined) ?? null;
  } catch {
    return null;
  }
}

/** The current directory, or `null` where it cannot be read (browsers, Deno without `--allow-read`). */
export function currentDirectory(): string | null {
  try {
    if (g.Deno !== undefined) return denoGranted({ name: "read" }) ? g.Deno.cwd() : null;
    return g.process?.cwd?.() ?? null;
  } catch {
    return null;
  }
}

/** The browser's `localStorage`, or `null` (absent, or access throws, e.g. in an opaque origin). */
export function browserStorage(): Storage | null {
  if (runtimeName() !== "browser") return null;
  try {
    return g.localStorage ?? null;
  } catch {
    return null;
  }
}
