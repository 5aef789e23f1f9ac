// Where the GPU backend preference lives (the role of Preferences.jl's LocalPreferences.toml):
// - Node, Bun, Deno: `flux.config.json` next to the nearest package.json above the current directory (the
//   project root, as LocalPreferences.toml sits next to Project.toml), key `"gpuBackend"`. Other keys in the
//   file are kept. Read lazily (never at import time) on every selection, so no restart is needed; how the
//   file is read and updated safely is ./preferencesFile.ts.
// - Browsers: `localStorage["flux.gpuBackend"]`.
// - Where neither can be used (Deno without --allow-read/--allow-write, read-only disks, workers without
//   storage): an in-memory value for this process, after one warning.
import {
  browserStorage,
  currentDirectory,
  denoGranted,
  type FsLike,
  loadFs,
  loadFsSync,
  runtimeName,
} from "./runtime.js";
import { PreferencesFileError } from "./errors.js";
import { readPreferencesFile, updatePreferencesFile } from "./preferencesFile.js";
import { warnOnce } from "./warnOnce.js";

/** The preference file's name. */
export const PREFERENCES_FILE = "flux.config.json";
/** The key inside the preference file. */
export const PREFERENCE_KEY = "gpuBackend";
/** The browser `localStorage` key. */
export const STORAGE_KEY = "flux.gpuBackend";

/** What the persistent store holds. `where` names the file or `localStorage`. */
export type StoredPreference =
  | { readonly status: "unset"; readonly where: string }
  | { readonly status: "set"; readonly value: string; readonly where: string }
  | { readonly status: "corrupt"; readonly reason: string; readonly where: string }
  | { readonly status: "unavailable"; readonly reason: string };

// Set when the preference could not be persisted: it then holds for this process only.
let memory: { value: string | null } | null = null;

/**
 * The preference file this process uses: `flux.config.json` in the directory of the nearest package.json
 * at or above the current directory (the current directory when there is none); `null` without file access.
 *
 * @example
 * preferencesPath(); // "/home/me/project/flux.config.json"
 */
export function preferencesPath(fs: FsLike | null = loadFsSync()): string | null {
  const cwd = currentDirectory();
  if (fs === null || cwd === null) return null;
  const sep = cwd.includes("\\") && !cwd.includes("/") ? "\\" : "/";
  let dir = cwd;
  for (;;) {
    if (runtimeName() === "deno" && !denoGranted({ name: "read", path: dir })) return null;
    try {
      if (fs.existsSync(`${dir}${sep}package.json`)) return `${dir}${sep}${PREFERENCES_FILE}`;
    } catch {
      return null;
    }
    const cut = dir.lastIndexOf(sep);
    if (cut <= 0 || cut === dir.length - 1) break;
    const parent = dir.slice(0, cut);
    if (/^[A-Za-z]:$/.test(parent)) break;
    dir = parent;
  }
  return `${cwd}${sep}${PREFERENCES_FILE}`;
}

/**
 * Reads the stored preference synchronously (needs `process.getBuiltinModule`, present on Node >= 20.16,
 * Bun and Deno 2; else reports "unavailable"). Never throws.
 */
export function readStoredPreferenceSync(fs: FsLike | null = loadFsSync()): StoredPreference {
  const storage = browserStorage();
  if (storage !== null) {
    try {
      const v = storage.getItem(STORAGE_KEY);
      return v === null
        ? { status: "unset", where: "localStorage" }
        : { status: "set", value: v, where: "localStorage" };
    } catch (e) {
      return { status: "unavailable", reason: `localStorage cannot be read (${(e as Error).message})` };
    }
  }
  const path = preferencesPath(fs);
  if (fs === null || path === null) return { status: "unavailable", reason: noFileAccessReason() };
  const r = readPreferencesFile(fs, path);
  switch (r.status) {
    case "missing":
      return { status: "unset", where: path };
    case "unreadable":
      return { status: "unavailable", reason: `${path} cannot be read (${r.reason})` };
    case "invalid":
      return { status: "corrupt", reason: r.error.reason, where: path };
  }
  const v = r.data[PREFERENCE_KEY];
  if (v === undefined) return { status: "unset", where: path };
  if (typeof v !== "string") {
    return {
      status: "corrupt",
      reason: `"${PREFERENCE_KEY}" is ${JSON.stringify(v)}, not a string`,
      where: path,
    };
  }
  return { status: "set", value: v, where: path };
}

/**
 * Reads the stored preference (asynchronously where `node:fs` must be imported). Never throws.
 *
 * @example
 * const p = await readStoredPreference();
 */
export async function readStoredPreference(): Promise<StoredPreference> {
  if (browserStorage() !== null) return readStoredPreferenceSync(null);
  return readStoredPreferenceSync(await loadFs());
}

/** The preference in effect and where it came from (`FLUX_GPU_BACKEND` overrides the store). */
export interface EffectivePreference {
  readonly value: string | null;
  readonly source: string;
  /** Set when the stored value could not be read as a preference. */
  readonly corrupt?: string;
}

/**
 * @internal The preference in effect: `FLUX_GPU_BACKEND`, else a value kept in memory for this process,
 * else the stored one.
 */
export async function effectivePreference(env: string | undefined): Promise<EffectivePreference> {
  if (env !== undefined) return { value: env, source: "the FLUX_GPU_BACKEND environment variable" };
  if (memory !== null) return { value: memory.value, source: "this process (not persisted)" };
  const s = await readStoredPreference();
  switch (s.status) {
    case "set":
      return { value: s.value, source: s.where };
    case "corrupt":
      return { value: null, source: s.where, corrupt: s.reason };
    case "unset":
      return { value: null, source: s.where };
    default:
      return { value: null, source: s.reason };
  }
}

/**
 * @internal Stores (or, with `null`, deletes) the preference, keeping the file's other keys (the file goes
 * when no key is left). Falls back to memory with one warning where it cannot be persisted; throws
 * `PreferencesFileError` (the file untouched) when the file exists but cannot be parsed. Returns where it went.
 */
export async function writePreference(value: string | null): Promise<{ where: string; persisted: boolean }> {
  const storage = browserStorage();
  if (storage !== null) {
    try {
      if (value === null) storage.removeItem(STORAGE_KEY);
      else storage.setItem(STORAGE_KEY, value);
      memory = null;
      return { where: "localStorage", persisted: true };
    } catch (e) {
      return keepInMemory(value, `localStorage cannot be written (${(e as Error).message})`);
    }
  }
  const fs = await loadFs();
  const path = preferencesPath(fs);
  if (fs === null || path === null) return keepInMemory(value, noFileAccessReason());
  if (runtimeName() === "deno" && !denoGranted({ name: "write", path })) {
    return keepInMemory(value, `Deno has no write permission for ${path} (run with --allow-write)`);
  }
  try {
    updatePreferencesFile(fs, path, (obj) => {
      if (value === null) delete obj[PREFERENCE_KEY];
      else obj[PREFERENCE_KEY] = value;
      return Object.keys(obj).length === 0 ? null : obj;
    });
    memory = null;
    return { where: path, persisted: true };
  } catch (e) {
    // A file that cannot be parsed is the user's to fix: never replaced, never deleted, never hidden.
    if (e instanceof PreferencesFileError) throw e;
    return keepInMemory(value, `${path} cannot be written (${(e as Error).message})`);
  }
}

function keepInMemory(value: string | null, reason: string): { where: string; persisted: boolean } {
  warnOnce(
    "preferences-in-memory",
    `[@flux/devices] cannot persist the GPU backend preference: ${reason}. It is kept in memory for this ` +
      "process only. Give the process file access (or set FLUX_GPU_BACKEND) to choose a backend for every run.",
  );
  memory = { value };
  return { where: "this process (not persisted)", persisted: false };
}

function noFileAccessReason(): string {
  return runtimeName() === "deno"
    ? "Deno has no read permission for the project directory (run with --allow-read and --allow-write)"
    : "this runtime has neither file access nor localStorage";
}

/** @internal The value kept in memory for this process (`undefined`: none; `null`: deleted in memory). */
export function memoryPreference(): string | null | undefined {
  return memory === null ? undefined : memory.value;
}
