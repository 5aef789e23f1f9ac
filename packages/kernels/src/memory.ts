// Memory accounting (per device), tidy scopes, and the debug leak detector. The tensor layer calls the
// `track*` hooks; users call `memory`, `tidy`, `keep` and `setDebugLeaks`.
import type { DeviceDescriptor } from "./device.js";
import { parseDevice } from "./device.js";
import { readEnv } from "./env.js";
import { peekBackend } from "./registry.js";

/** What the memory hooks need from a tensor (kept structural to avoid an import cycle with tensor.ts). */
export interface TrackedTensor {
  readonly device: DeviceDescriptor;
  readonly isDisposed: boolean;
  dispose(): void;
}

/**
 * A snapshot of memory use.
 *
 * `liveTensors` counts undisposed tensors; `liveBytes` counts their payload once per storage (a reshape
 * shares storage); `pooledBytes` is what a backend keeps for reuse; `peakBytes` is the highest `liveBytes`
 * seen since start; `pendingBuffers` counts buffers freed by tensors that a device may still be using
 * (WebGPU destroys them once its queue has passed them; always 0 on the CPU).
 */
export interface MemoryInfo {
  readonly liveTensors: number;
  readonly liveBytes: number;
  readonly pooledBytes: number;
  readonly peakBytes: number;
  readonly pendingBuffers: number;
}

interface DeviceStats {
  liveTensors: number;
  liveBytes: number;
  peakBytes: number;
}

const stats = new Map<DeviceDescriptor, DeviceStats>();
let totalLiveBytes = 0;
let totalPeakBytes = 0;

function statsOf(device: DeviceDescriptor): DeviceStats {
  let s = stats.get(device);
  if (s === undefined) {
    s = { liveTensors: 0, liveBytes: 0, peakBytes: 0 };
    stats.set(device, s);
  }
  return s;
}

/**
 * Memory in use on one device, or summed over every device when none is given.
 *
 * @example
 * const before = memory().liveTensors;
 * const t = zeros([1000]); memory("cpu").liveBytes; // >= 4000
 */
export function memory(device?: DeviceDescriptor | string): MemoryInfo {
  if (device !== undefined) {
    const d = parseDevice(device);
    const s = statsOf(d);
    const info = peekBackend(d)?.memoryInfo();
    return {
      liveTensors: s.liveTensors,
      liveBytes: s.liveBytes,
      pooledBytes: info?.pooledBytes ?? 0,
      peakBytes: s.peakBytes,
      pendingBuffers: info?.pendingBuffers ?? 0,
    };
  }
  let liveTensors = 0;
  let pooledBytes = 0;
  let pendingBuffers = 0;
  for (const [d, s] of stats) {
    liveTensors += s.liveTensors;
    const info = peekBackend(d)?.memoryInfo();
    pooledBytes += info?.pooledBytes ?? 0;
    pendingBuffers += info?.pendingBuffers ?? 0;
  }
  return { liveTensors, liveBytes: totalLiveBytes, pooledBytes, peakBytes: totalPeakBytes, pendingBuffers };
}

/**
 * Frees the buffers that backends keep for reuse (`pooledBytes`), on one device or on every loaded one.
 *
 * The CPU backend and the WebGPU backend pool freed buffers by size class so that a loop which allocates
 * the same sizes every step does not pay for fresh (zero-filled) memory; `trim()` hands that memory back,
 * e.g. after training and before something else needs it. Live tensors are untouched.
 *
 * @example
 * tidy(() => relu(randn([1000, 1000])));
 * memory().pooledBytes; // > 0: the freed buffers are kept
 * trim();
 * memory().pooledBytes; // 0
 */
export function trim(device?: DeviceDescriptor | string): void {
  const devices = device === undefined ? [...stats.keys()] : [parseDevice(device)];
  for (const d of devices) peekBackend(d)?.trimPool?.();
}

/** @internal Called when storage is allocated. */
export function trackAlloc(device: DeviceDescriptor, bytes: number): void {
  const s = statsOf(device);
  s.liveBytes += bytes;
  if (s.liveBytes > s.peakBytes) s.peakBytes = s.liveBytes;
  totalLiveBytes += bytes;
  if (totalLiveBytes > totalPeakBytes) totalPeakBytes = totalLiveBytes;
}

/** @internal Called when storage is freed. */
export function trackFree(device: DeviceDescriptor, bytes: number): void {
  statsOf(device).liveBytes -= bytes;
  totalLiveBytes -= bytes;
}

// ---- tidy scopes ----

const scopes: Set<TrackedTensor>[] = [];
let retainHook: ((t: TrackedTensor) => boolean) | null = null;

/**
 * @internal While a gradient tape is recording, the tensors it needs for the backward pass must outlive
 * any `tidy` inside the differentiated function; the tape installs this hook to say which ones.
 */
export function setRetainHook(hook: ((t: TrackedTensor) => boolean) | null): void {
  retainHook = hook;
}
const keptForever = new WeakSet<TrackedTensor>();

/** @internal Called by every tensor constructor. */
export function trackTensorCreated(t: TrackedTensor): void {
  statsOf(t.device).liveTensors++;
  const top = scopes[scopes.length - 1];
  if (top !== undefined) top.add(t);
  if (leakDetectionOn()) watchForLeak(t);
}

/** @internal Called once when a tensor is disposed. */
export function trackTensorDisposed(t: TrackedTensor): void {
  statsOf(t.device).liveTensors--;
  const top = scopes[scopes.length - 1];
  if (top !== undefined) top.delete(t);
  if (leakRegistry !== undefined) leakRegistry.unregister(t);
}

/** @internal Opens a scope that records the tensors created inside it (used by tidy and gradient). */
export function beginScope(): void {
  scopes.push(new Set());
}

/**
 * @internal Closes the innermost scope: disposes its tensors except those in `survivors` (and `keep`ed
 * ones); survivors move to the enclosing scope, so an outer tidy still owns them.
 */
export function endScope(survivors: ReadonlySet<TrackedTensor>): void {
  const scope = scopes.pop();
  if (scope === undefined) return;
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (t.isDisposed) continue;
    if (survivors.has(t) || retainHook?.(t)) parent?.add(t);
    else if (!keptForever.has(t)) t.dispose();
  }
}

/**
 * Runs `fn` and frees every tensor created inside that is not part of its result.
 *
 * The result may be a tensor or a tree of them (arrays, plain objects, Maps); those survive and belong to
 * the enclosing tidy, if any. Scopes nest. `fn` must be synchronous (a returned Promise throws), because
 * tensors created after an `await` could not be attributed to the right scope.
 *
 * @example
 * const y = tidy(() => relu(add(matmul(w, x), b))); // temporaries freed, y kept
 */
export function tidy<T>(fn: () => T): T {
  beginScope();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    endScope(new Set());
    throw e;
  }
  if (result instanceof Promise) {
    endScope(new Set());
    throw new TypeError(
      "[@flux/kernels] tidy(fn): fn returned a Promise; tidy only tracks synchronous code. Await outside " +
        "and call tidy on the synchronous parts.",
    );
  }
  endScope(collectTensors(result));
  return result;
}

/**
 * Marks a tensor so that no enclosing `tidy` frees it (it still frees on `dispose()`).
 *
 * @example
 * let w: Tensor; tidy(() => { w = keep(randn([3, 3])); });
 */
export function keep<T extends TrackedTensor>(t: T): T {
  keptForever.add(t);
  return t;
}

/** @internal The set of tensors found in a result tree (arrays, plain objects, Maps, Sets). */
export function collectTensors(
  x: unknown,
  out = new Set<TrackedTensor>(),
  seen = new Set<object>(),
): Set<TrackedTensor> {
  if (x === null || typeof x !== "object") return out;
  if (seen.has(x)) return out;
  seen.add(x);
  if (isTrackedTensor(x)) {
    out.add(x);
    return out;
  }
  if (ArrayBuffer.isView(x)) return out;
  if (Array.isArray(x) || x instanceof Set) for (const v of x) collectTensors(v, out, seen);
  else if (x instanceof Map) for (const v of x.values()) collectTensors(v, out, seen);
  else for (const v of Object.values(x)) collectTensors(v, out, seen);
  return out;
}

function isTrackedTensor(x: object): x is TrackedTensor {
  return (x as Record<symbol, unknown>)[Symbol.for("flux.leaf")] === true && "dispose" in x && "device" in x;
}

// ---- leak detector ----

let debugLeaks: boolean | undefined;
let leakRegistry: FinalizationRegistry<string> | undefined;
const reportedSites = new Set<string>();

/**
 * Turns the debug leak detector on or off (it starts on when the environment has `FLUX_DEBUG_LEAKS=1`).
 *
 * While on, each tensor remembers where it was created; one garbage-collected without `dispose()` makes a
 * `console.warn` once per creation site. It only reports: memory is never freed by it.
 *
 * @example
 * setDebugLeaks(true);
 */
export function setDebugLeaks(on: boolean): void {
  debugLeaks = on;
}

function leakDetectionOn(): boolean {
  if (debugLeaks === undefined) {
    debugLeaks = readEnv("FLUX_DEBUG_LEAKS") === "1";
  }
  return debugLeaks;
}

function watchForLeak(t: TrackedTensor): void {
  leakRegistry ??= new FinalizationRegistry<string>((site) => {
    if (reportedSites.has(site)) return;
    reportedSites.add(site);
    console.warn(
      `[@flux/kernels] a tensor was garbage-collected without dispose() (created at ${site}). Its memory ` +
        "was held until then; call dispose() or wrap the code in tidy(). (Reported once per site.)",
    );
  });
  leakRegistry.register(t, creationSite(), t);
}

function creationSite(): string {
  const lines = (new Error().stack ?? "").split("\n").slice(1);
  // The first frame outside this package's own files (its tests count as users) is the call site.
  const user = lines.find((l) => !/[/\\]kernels[/\\](src|dist)[/\\]/.test(l) || /\.test\.[cm]?[jt]s/.test(l));
  return (user ?? lines[lines.length - 1] ?? "unknown").trim();
}
