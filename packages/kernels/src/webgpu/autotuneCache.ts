// Where autotune results live between processes: localStorage in browsers, a JSON file on Node, Bun and
// Deno (default `<os temp dir>/flux-webgpu/autotune-v1.json`, or the path in FLUX_WEBGPU_AUTOTUNE_CACHE),
// and always a process-wide memory layer in front. A missing, unreadable or malformed store reads as
// empty: the worst case is tuning again.
import { readEnv } from "../env.js";
import type { MatmulKernel } from "./matmul/plan.js";

/** Tuned kernels of one adapter, by tune key (see `tuneKey`). */
export type TunedKernels = Record<string, MatmulKernel>;

/** A store of tuned kernels per adapter key. */
export interface AutotuneCache {
  /** The entries saved for an adapter (empty when none). */
  load(adapter: string): Promise<TunedKernels>;
  /** Merges entries into those saved for an adapter. */
  save(adapter: string, entries: TunedKernels): Promise<void>;
}

/** What the stores hold: a version, then adapters → tune key → kernel. */
interface CacheFile {
  version: 1;
  adapters: Record<string, TunedKernels>;
}

const KERNELS: readonly string[] = ["matmul_vec4", "matmul_reg", "matmul_tiled"];

/** Parses a store's text, keeping only well-formed entries. */
function parse(text: string | null | undefined): CacheFile {
  const out: CacheFile = { version: 1, adapters: {} };
  if (!text) return out;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return out;
  }
  const adapters = (data as { version?: unknown; adapters?: unknown })?.adapters;
  if ((data as { version?: unknown }).version !== 1 || typeof adapters !== "object" || adapters === null)
    return out;
  for (const [adapter, entries] of Object.entries(adapters)) {
    if (typeof entries !== "object" || entries === null) continue;
    const kept: TunedKernels = {};
    for (const [key, kernel] of Object.entries(entries)) {
      if (typeof kernel === "string" && KERNELS.includes(kernel)) kept[key] = kernel as MatmulKernel;
    }
    out.adapters[adapter] = kept;
  }
  return out;
}

function merge(file: CacheFile, adapter: string, entries: TunedKernels): string {
  file.adapters[adapter] = { ...file.adapters[adapter], ...entries };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * A store in memory only (tests, or runtimes without storage).
 *
 * @example
 * const cache = memoryCache(); await cache.save("a", { "f32/large/aligned": "matmul_tiled" });
 */
export function memoryCache(): AutotuneCache {
  const map = new Map<string, TunedKernels>();
  return {
    load: async (adapter) => ({ ...map.get(adapter) }),
    save: async (adapter, entries) => {
      map.set(adapter, { ...map.get(adapter), ...entries });
    },
  };
}

/** The part of the Web Storage API the cache uses. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The localStorage key of browser results. */
export const AUTOTUNE_STORAGE_KEY = "flux-webgpu-autotune-v1";

/**
 * A store in Web Storage (browsers: `localStorage`), under `AUTOTUNE_STORAGE_KEY`.
 *
 * @example
 * const cache = webStorageCache(localStorage);
 */
export function webStorageCache(storage: KeyValueStorage): AutotuneCache {
  return {
    load: async (adapter) => ({ ...parse(storage.getItem(AUTOTUNE_STORAGE_KEY)).adapters[adapter] }),
    save: async (adapter, entries) => {
      storage.setItem(
        AUTOTUNE_STORAGE_KEY,
        merge(parse(storage.getItem(AUTOTUNE_STORAGE_KEY)), adapter, entries),
      );
    },
  };
}

type FsPromises = typeof import("node:fs/promises");

// A computed specifier: browser bundlers must not try to resolve node:fs for a path browsers never take.
const FS_MODULE = ["node", "fs/promises"].join(":");

/**
 * A store in a JSON file (Node, Bun, Deno). Writes go to a temporary file renamed over the old one, so a
 * concurrent reader sees the old or the new file, never half of one.
 *
 * @example
 * const cache = fileCache("/tmp/flux-webgpu/autotune-v1.json");
 */
export function fileCache(path: string, fs?: FsPromises): AutotuneCache {
  const load = async (): Promise<FsPromises> =>
    fs ?? ((await import(/* @vite-ignore */ FS_MODULE)) as FsPromises);
  const read = async (): Promise<CacheFile> => {
    try {
      return parse(await (await load()).readFile(path, "utf8"));
    } catch {
      return parse(null);
    }
  };
  return {
    load: async (adapter) => ({ ...(await read()).adapters[adapter] }),
    save: async (adapter, entries) => {
      const f = await load();
      const text = merge(await read(), adapter, entries);
      const dir = path.slice(0, Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")));
      if (dir) await f.mkdir(dir, { recursive: true });
      const tmp = `${path}.${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`;
      await f.writeFile(tmp, text);
      await f.rename(tmp, path);
    },
  };
}

/**
 * Puts a memory layer in front of a store: loads hit the store once per adapter, saves go to both.
 */
export function layered(store: AutotuneCache): AutotuneCache {
  const memory = new Map<string, Promise<TunedKernels>>();
  return {
    load: (adapter) => {
      let p = memory.get(adapter);
      if (p === undefined) {
        p = store.load(adapter).catch(() => ({}));
        memory.set(adapter, p);
      }
      return p.then((e) => ({ ...e }));
    },
    save: async (adapter, entries) => {
      const before = await (memory.get(adapter) ?? Promise.resolve({}));
      memory.set(adapter, Promise.resolve({ ...before, ...entries }));
      await store.save(adapter, entries);
    },
  };
}

/** Reads an environment variable (kernels' shared `readEnv`: never needs a permission Deno did not grant). */
export function envVar(name: string): string | undefined {
  return readEnv(name);
}

/** The file store's default path: FLUX_WEBGPU_AUTOTUNE_CACHE, else `<os temp dir>/flux-webgpu/autotune-v1.json`. */
async function defaultCachePath(): Promise<string | undefined> {
  const override = envVar("FLUX_WEBGPU_AUTOTUNE_CACHE");
  if (override) return override;
  try {
    const os = (await import(/* @vite-ignore */ ["node", "os"].join(":"))) as typeof import("node:os");
    return `${os.tmpdir()}/flux-webgpu/autotune-v1.json`;
  } catch {
    return undefined;
  }
}

let shared: Promise<AutotuneCache> | undefined;

/**
 * The process's default store: localStorage where it exists (browsers), else the JSON file at
 * `defaultCachePath()`, else memory only; always behind one shared memory layer.
 *
 * @example
 * const cache = await defaultAutotuneCache();
 */
export function defaultAutotuneCache(): Promise<AutotuneCache> {
  shared ??= (async () => {
    const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
    if (storage !== undefined) {
      try {
        storage.getItem(AUTOTUNE_STORAGE_KEY);
        return layered(webStorageCache(storage));
      } catch {
        // Storage disabled (privacy settings, opaque origins): fall through.
      }
    }
    const path = await defaultCachePath();
    return layered(path === undefined ? memoryCache() : fileCache(path));
  })();
  return shared;
}
