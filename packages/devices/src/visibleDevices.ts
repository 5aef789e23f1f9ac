// FLUX_VISIBLE_DEVICES plays the part of CUDA_VISIBLE_DEVICES: `-1` hides every GPU, `0,2` keeps
// those adapters and renumbers them from 0. Read on every use, so a test or a launcher can change it.
import { readEnv } from "./runtime.js";
import { warnOnce } from "./warnOnce.js";

const ENV = "FLUX_VISIBLE_DEVICES";

/** Adapter counts seen per backend, so that the synchronous `getDevice` maps ids like selection does. */
const knownCounts = new Map<string, number>();

/**
 * The physical adapter ids named by FLUX_VISIBLE_DEVICES, in order, or `null` when it is unset (all
 * visible). As with CUDA, the list ends at the first negative or malformed entry (so `-1` hides all);
 * a malformed entry also warns once. Repeated ids count once.
 */
export function visibleList(): number[] | null {
  const raw = readEnv(ENV);
  if (raw === undefined) return null;
  const out: number[] = [];
  for (const part of raw.split(",")) {
    const s = part.trim();
    if (!/^-?\d+$/.test(s)) {
      warnOnce(
        `visible:${raw}`,
        `[@flux/devices] ${ENV}="${raw}": "${s}" is not an adapter id; only the ids before it are visible. ` +
          `Write a comma-separated list of 0-based ids (e.g. "0,2"), or "-1" to hide every GPU.`,
      );
      break;
    }
    const id = Number(s);
    if (id < 0) break;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * The physical ids of the visible adapters of a backend with `count` adapters: visible id `i` is
 * `result[i]`. Ids at or beyond `count` are dropped.
 */
export function visiblePhysicalIds(backend: string, count: number): number[] {
  knownCounts.set(backend, count);
  const list = visibleList();
  if (list === null) return Array.from({ length: count }, (_, i) => i);
  return list.filter((id) => id < count);
}

/**
 * The visible id of physical adapter `physical` of `backend`, or `null` if FLUX_VISIBLE_DEVICES hides it.
 */
export function visibleIdOf(backend: string, physical: number): number | null {
  const list = visibleList();
  if (list === null) return physical;
  const count = knownCounts.get(backend);
  const ids = count === undefined ? list : list.filter((id) => id < count);
  const i = ids.indexOf(physical);
  return i < 0 ? null : i;
}
