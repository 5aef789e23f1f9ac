// Training checkpoints: the model, the optimiser state, the step and epoch reached, random generators'
// states and any JSON the user adds, in ONE safetensors file written atomically. Tensors (the model's and
// the optimiser's) are safetensors entries named `model.<path>` and `optState.<path>` (saveBytes' naming);
// everything else lives in the header's `__metadata__` (string → string) under `flux.checkpoint.*` keys.
import { children, isleaf } from "@flux/functors";
import { isTensor, type Rng, type RngState, rng, writeFileAtomic } from "@flux/kernels";
import { LayersError } from "../errors.js";
import { loadBytes } from "./loadBytes.js";
import { saveBytes } from "./saveBytes.js";
import { checkPath, withFileErrors } from "./fileErrors.js";

/** The checkpoint format this version writes (`__metadata__["flux.checkpoint.version"]`). */
export const CHECKPOINT_VERSION = "1";

const KEY = {
  version: "flux.checkpoint.version",
  step: "flux.checkpoint.step",
  epoch: "flux.checkpoint.epoch",
  rng: "flux.checkpoint.rng",
  optimiser: "flux.checkpoint.optimiser",
  extra: "flux.checkpoint.extra",
} as const;

/** A JSON value (what `extra` may hold). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

/** What `saveCheckpoint` stores. */
export interface CheckpointContents {
  /** The model (any tree of tensors; on any device). */
  model: unknown;
  /** The optimiser state from `setup(rule, model)` (tensors, rules' hyper-parameters, frozen flags). */
  optState?: unknown;
  /** Steps (batches) done so far (default 0). */
  step?: number;
  /** Epochs done so far (default 0). */
  epoch?: number;
  /** Generators whose state to keep: the DataLoader's, augmentation's...: one, or several by name. */
  rng?: Rng | Readonly<Record<string, Rng>>;
  /** Anything else, as JSON (a config, the best accuracy so far...). */
  extra?: JsonValue;
}

/** Where `loadCheckpoint` puts what it reads: all in place. */
export interface CheckpointTargets<M, S> {
  /** A model of the same architecture (e.g. freshly built); its tensors are overwritten. */
  model: M;
  /** A state from `setup(rule, model)` for the same rule; required when the checkpoint has one. */
  optState?: S;
  /** Generators to restore in place (the same names as saved, or one for one). */
  rng?: Rng | Readonly<Record<string, Rng>>;
}

/** What `loadCheckpoint` returns: the targets, now loaded, with the step, epoch and extra saved. */
export interface Checkpoint<M, S> {
  readonly model: M;
  readonly optState: S | undefined;
  /** Steps done when saved: pass the checkpoint as `train`'s `resume` to continue from here. */
  readonly step: number;
  /** Epochs done when saved. */
  readonly epoch: number;
  /** The saved generator states by name (`""` for a single one), also restored into `rng` when given. */
  readonly rng: Readonly<Record<string, RngState>>;
  readonly extra: JsonValue | undefined;
}

/**
 * A checkpoint that cannot be written or read back: not a checkpoint, a newer format, or targets that do
 * not match what was saved (`code` `ERR_CHECKPOINT`). Tensor mismatches throw `SafetensorsError`.
 *
 * @example
 * await loadCheckpoint("model.safetensors", { model }); // CheckpointError: a model file, not a checkpoint
 */
export class CheckpointError extends LayersError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_CHECKPOINT", `checkpoint: ${message}`, options);
    this.name = "CheckpointError";
  }
}

// ---- the optimiser state's non-tensor parts ------------------------------------------------------------

// @flux/optim's Leaf, recognised by its cross-package mark (layers does not depend on optim).
const OPTIM_LEAF = Symbol.for("flux.optim.leaf");

interface LeafLike {
  rule: { readonly kind: string; adjust(changes: Readonly<Record<string, unknown>>): unknown };
  state: unknown;
  frozen: boolean;
}

function isOptimLeaf(x: unknown): x is LeafLike {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[OPTIM_LEAF] === true;
}

/** A value of a Leaf's state with its tensors replaced by this marker (they are safetensors entries). */
const TENSOR = { $tensor: true } as const;

type Skeleton = JsonValue;

interface SavedLeaf {
  readonly rule: string;
  readonly kind: string;
  readonly hyper: Readonly<Record<string, JsonValue>>;
  readonly frozen: boolean;
  readonly state: Skeleton;
}

function skeletonOf(v: unknown, where: string): Skeleton {
  if (isTensor(v)) return TENSOR;
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (v === undefined) return { $undefined: true };
  if (typeof v === "number") return Number.isFinite(v) ? v : { $number: String(v) };
  if (Array.isArray(v)) return v.map((x, i) => skeletonOf(x, `${where}[${i}]`));
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, skeletonOf(x, `${where}.${k}`)]));
  throw new CheckpointError(
    `the optimiser state holds a ${(v as object)?.constructor?.name ?? typeof v} at "${where}"; a checkpoint ` +
      "keeps tensors, numbers, booleans, strings, null, arrays and plain objects.",
  );
}

const isMarker = (s: Skeleton, key: string): boolean =>
  s !== null && typeof s === "object" && !Array.isArray(s) && key in s && Object.keys(s).length === 1;

/** The Leaf's state with the saved plain values put back around its own (just loaded) tensors. */
function restoreState(target: unknown, saved: Skeleton, where: string): unknown {
  const mismatch = (what: string) =>
    new CheckpointError(
      `the optimiser state differs from the saved one at "${where}" (${what}); build it with setup() for ` +
        "the same rule and model.",
    );
  if (isMarker(saved, "$tensor")) {
    if (!isTensor(target)) throw mismatch("a tensor was saved there");
    return target;
  }
  if (isMarker(saved, "$undefined")) return undefined;
  if (isMarker(saved, "$number")) return Number((saved as { $number: string }).$number);
  if (saved === null || typeof saved !== "object") {
    if (isTensor(target)) throw mismatch("a tensor there, a plain value saved");
    if (target !== null && typeof target === "object")
      throw mismatch("a container there, a plain value saved");
    return saved;
  }
  if (Array.isArray(saved)) {
    if (!Array.isArray(target) || target.length !== saved.length)
      throw mismatch(`an array of ${saved.length} saved`);
    return saved.map((s, i) => restoreState(target[i], s, `${where}[${i}]`));
  }
  if (target === null || typeof target !== "object" || Array.isArray(target) || isTensor(target))
    throw mismatch("an object saved");
  const keys = Object.keys(saved);
  const have = Object.keys(target);
  if (keys.length !== have.length || keys.some((k) => !(k in target)))
    throw mismatch(`fields ${keys.join(", ")} saved, ${have.join(", ")} there`);
  return Object.fromEntries(
    keys.map((k) => [
      k,
      restoreState(
        (target as Record<string, unknown>)[k],
        (saved as Record<string, Skeleton>)[k]!,
        `${where}.${k}`,
      ),
    ]),
  );
}

/** A rule's plain hyper-parameters (numbers, booleans, number pairs): what `adjust` can set back. */
function hyperOf(rule: object): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(rule)) {
    if (k === "kind") continue;
    if (typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x))) out[k] = v;
  }
  return out;
}

/** Every Leaf of a state tree by its dotted path (a tied Leaf once, at its first path). */
function leavesOf(tree: unknown): Map<string, LeafLike> {
  const out = new Map<string, LeafLike>();
  const seen = new Set<unknown>();
  const visit = (x: unknown, path: string): void => {
    if (x === null || typeof x !== "object" || isTensor(x) || seen.has(x)) return;
    seen.add(x);
    if (isOptimLeaf(x)) {
      out.set(path, x);
      return;
    }
    if (isleaf(x)) return;
    const c = children(x);
    const kids =
      c instanceof Map ? [...c.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(c);
    for (const [k, v] of kids) visit(v, path === "" ? k : `${path}.${k}`);
  };
  visit(tree, "");
  return out;
}

// ---- the safetensors header ------------------------------------------------------------------------------

function headerLength(bytes: Uint8Array): number {
  if (bytes.length < 8) throw new CheckpointError(`${bytes.length} bytes are not a safetensors file.`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8))
    throw new CheckpointError("the safetensors header runs past the end of the file.");
  return Number(n);
}

function readHeader(bytes: Uint8Array): Record<string, unknown> {
  const n = headerLength(bytes);
  try {
    const h = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
    if (h !== null && typeof h === "object" && !Array.isArray(h)) return h as Record<string, unknown>;
  } catch (e) {
    throw new CheckpointError("the safetensors header is not JSON.", { cause: e });
  }
  throw new CheckpointError("the safetensors header is not a JSON object.");
}

/** `bytes` (a safetensors file) with `metadata` added to its `__metadata__`; data offsets are unchanged. */
function withMetadata(bytes: Uint8Array, metadata: Readonly<Record<string, string>>): Uint8Array {
  const n = headerLength(bytes);
  const header = readHeader(bytes);
  header.__metadata__ = { ...((header.__metadata__ as object | undefined) ?? {}), ...metadata };
  let json = new TextEncoder().encode(JSON.stringify(header));
  // Keep the data 8-byte aligned, as safetensors writers do (JSON allows trailing spaces).
  const pad = (8 - (json.length % 8)) % 8;
  if (pad > 0) json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const data = bytes.subarray(8 + n);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

// ---- save and load ---------------------------------------------------------------------------------------

function count(x: unknown, name: string): number {
  if (x === undefined) return 0;
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0)
    throw new CheckpointError(`${name} must be a whole number >= 0, got ${String(x)}.`);
  return x;
}

function rngsOf(r: CheckpointContents["rng"], what: string): Map<string, Rng> {
  if (r === undefined) return new Map();
  const isRng = (x: unknown): x is Rng =>
    typeof x === "object" && x !== null && typeof (x as Rng).getState === "function";
  if (isRng(r)) return new Map([["", r]]);
  if (typeof r !== "object" || r === null)
    throw new CheckpointError(`${what} must be an Rng or { name: Rng }.`);
  const out = new Map<string, Rng>();
  for (const [k, v] of Object.entries(r)) {
    if (!isRng(v)) throw new CheckpointError(`${what}.${k} is not an Rng (make one with rng(seed)).`);
    out.set(k, v);
  }
  return out;
}

/**
 * The bytes of a checkpoint (what `saveCheckpoint` writes; use it in browsers): a safetensors file of the
 * model's and the optimiser state's tensors (`model.<path>`, `optState.<path>`), whose `__metadata__` holds
 * `flux.checkpoint.version`, `.step`, `.epoch`, `.rng` (generator states), `.optimiser` (each Leaf's rule,
 * hyper-parameters, frozen flag and non-tensor state, e.g. Adam's βᵗ) and `.extra`, each a JSON string.
 *
 * @example
 * const bytes = await checkpointBytes({ model, optState, step: 1000, epoch: 2 });
 */
export async function checkpointBytes(contents: CheckpointContents): Promise<Uint8Array> {
  if (contents === null || typeof contents !== "object" || !("model" in contents))
    throw new CheckpointError("pass { model, optState?, step?, epoch?, rng?, extra? }.");
  const step = count(contents.step, "step");
  const epoch = count(contents.epoch, "epoch");
  const rngs = rngsOf(contents.rng, "rng");
  const hasState = contents.optState !== undefined;
  const leaves: Record<string, SavedLeaf> = {};
  for (const [path, leaf] of leavesOf(contents.optState)) {
    leaves[path] = {
      rule: String(leaf.rule),
      kind: leaf.rule.kind,
      hyper: hyperOf(leaf.rule),
      frozen: leaf.frozen,
      state: skeletonOf(leaf.state, path === "" ? "state" : `${path}.state`),
    };
  }
  let extra: string | undefined;
  if (contents.extra !== undefined) {
    try {
      extra = JSON.stringify(contents.extra);
    } catch (e) {
      throw new CheckpointError("extra must be JSON-serialisable.", { cause: e });
    }
  }
  const tensors = await saveBytes(
    hasState ? { model: contents.model, optState: contents.optState } : { model: contents.model },
  );
  const metadata: Record<string, string> = {
    [KEY.version]: CHECKPOINT_VERSION,
    [KEY.step]: String(step),
    [KEY.epoch]: String(epoch),
    [KEY.rng]: JSON.stringify(Object.fromEntries([...rngs].map(([k, r]) => [k, r.getState()]))),
  };
  if (hasState) metadata[KEY.optimiser] = JSON.stringify(leaves);
  if (extra !== undefined) metadata[KEY.extra] = extra;
  return withMetadata(tensors, metadata);
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === "object" && !Array.isArray(x);

/** The checkpoint's `__metadata__`, its `flux.checkpoint.*` values checked to be strings. */
function metadataOf(bytes: Uint8Array): Record<string, string | undefined> {
  const meta = readHeader(bytes).__metadata__ ?? {};
  if (!isPlainObject(meta))
    throw new CheckpointError("the header's __metadata__ is not an object of strings; the file is damaged.");
  for (const key of Object.values(KEY)) {
    const v = (meta as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== "string")
      throw new CheckpointError(
        `__metadata__["${key}"] is ${JSON.stringify(v)}, not a string; the file is damaged or was not written by saveCheckpoint.`,
      );
  }
  return meta as Record<string, string | undefined>;
}

/** A saved step or epoch: absent is 0, else the decimal digits of a whole number. */
function savedCount(text: string | undefined, key: string): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n))
    throw new CheckpointError(
      `__metadata__["${key}"] is ${JSON.stringify(text)}, not a whole number >= 0; the file is damaged.`,
    );
  return n;
}

/** The saved Leafs, each checked to have the fields `checkpointBytes` writes. */
function savedLeavesOf(x: unknown): Record<string, SavedLeaf> | undefined {
  if (x === undefined) return undefined;
  const bad = (what: string) =>
    new CheckpointError(
      `__metadata__["${KEY.optimiser}"] ${what}; the file is damaged or was not written by saveCheckpoint.`,
    );
  if (!isPlainObject(x)) throw bad(`is ${JSON.stringify(x)}, not an object of saved Leafs`);
  for (const [path, leaf] of Object.entries(x)) {
    if (
      !isPlainObject(leaf) ||
      typeof leaf.rule !== "string" ||
      typeof leaf.kind !== "string" ||
      !isPlainObject(leaf.hyper) ||
      typeof leaf.frozen !== "boolean" ||
      !("state" in leaf)
    )
      throw bad(`has "${path}": ${JSON.stringify(leaf)}, not { rule, kind, hyper, frozen, state }`);
  }
  return x as unknown as Record<string, SavedLeaf>;
}

function parseJson<T>(text: string | undefined, key: string): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new CheckpointError(`__metadata__["${key}"] is not JSON.`, { cause: e });
  }
}

/**
 * Loads checkpoint bytes into `targets` in place (see `loadCheckpoint`).
 *
 * @example
 * const ck = loadCheckpointBytes(bytes, { model: buildModel(), optState: setup(Adam(), model) });
 */
export function loadCheckpointBytes<M, S = unknown>(
  bytes: Uint8Array,
  targets: CheckpointTargets<M, S>,
): Checkpoint<M, S> {
  if (targets === null || typeof targets !== "object" || !("model" in targets))
    throw new CheckpointError("pass the targets { model, optState?, rng? } to load into.");
  const meta = metadataOf(bytes);
  const version = meta[KEY.version];
  if (version === undefined)
    throw new CheckpointError(
      "this safetensors file is not a checkpoint (no flux.checkpoint.version in its __metadata__); a model file loads with load(path, model).",
    );
  if (version !== CHECKPOINT_VERSION)
    throw new CheckpointError(
      `format version ${version}; this @flux/layers reads version ${CHECKPOINT_VERSION}. Update @flux/layers.`,
    );
  const savedLeaves = savedLeavesOf(parseJson<unknown>(meta[KEY.optimiser], KEY.optimiser));
  const savedRng = parseJson<Record<string, RngState>>(meta[KEY.rng], KEY.rng) ?? {};
  if (!isPlainObject(savedRng))
    throw new CheckpointError(`__metadata__["${KEY.rng}"] is not an object of generator states.`);
  const extra = parseJson<JsonValue>(meta[KEY.extra], KEY.extra);
  const step = savedCount(meta[KEY.step], KEY.step);
  const epoch = savedCount(meta[KEY.epoch], KEY.epoch);
  const { optState } = targets;
  if (savedLeaves !== undefined && optState === undefined)
    throw new CheckpointError(
      "the checkpoint has an optimiser state: pass optState (from setup(rule, model)) to load it into.",
    );
  if (savedLeaves === undefined && optState !== undefined)
    throw new CheckpointError("the checkpoint has no optimiser state to load into optState.");

  // Check everything before writing anything: the Leafs' rules and plain state, then (loadBytes) tensors.
  const updates: [LeafLike, SavedLeaf, unknown, LeafLike["rule"]][] = [];
  if (savedLeaves !== undefined) {
    const have = leavesOf(optState);
    const savedPaths = Object.keys(savedLeaves);
    const missing = savedPaths.filter((p) => !have.has(p));
    const extraPaths = [...have.keys()].filter((p) => !(p in savedLeaves));
    if (missing.length > 0 || extraPaths.length > 0)
      throw new CheckpointError(
        `the optimiser state's parameters differ from the saved ones (${[
          missing.length ? `saved only: ${missing.slice(0, 4).join(", ")}` : "",
          extraPaths.length ? `not saved: ${extraPaths.slice(0, 4).join(", ")}` : "",
        ]
          .filter(Boolean)
          .join("; ")}).`,
      );
    for (const [path, saved] of Object.entries(savedLeaves)) {
      const leaf = have.get(path)!;
      if (leaf.rule.kind !== saved.kind)
        throw new CheckpointError(
          `"${path}" was saved with ${saved.rule}, but optState uses ${String(leaf.rule)}: set up the same rule.`,
        );
      let rule = leaf.rule;
      if (Object.keys(saved.hyper).length > 0) {
        try {
          rule = leaf.rule.adjust(saved.hyper) as LeafLike["rule"];
        } catch (e) {
          throw new CheckpointError(
            `"${path}" holds hyper-parameters its rule refuses (${e instanceof Error ? e.message : String(e)}); the file is damaged.`,
            { cause: e },
          );
        }
      }
      updates.push([
        leaf,
        saved,
        restoreState(leaf.state, saved.state, path === "" ? "state" : `${path}.state`),
        rule,
      ]);
    }
  }
  const rngs = rngsOf(targets.rng, "targets.rng");
  const rngStates: [Rng, RngState][] = [];
  for (const [name, r] of rngs) {
    const key = rngs.size === 1 && !Object.hasOwn(savedRng, name) && Object.hasOwn(savedRng, "") ? "" : name;
    if (!Object.hasOwn(savedRng, key))
      throw new CheckpointError(
        `no generator "${name}" was saved (saved: ${
          Object.keys(savedRng)
            .map((k) => (k === "" ? "one unnamed" : k))
            .join(", ") || "none"
        }).`,
      );
    try {
      rng(1).setState(savedRng[key]!); // on a scratch generator: a bad state must fail before any write
    } catch (e) {
      throw new CheckpointError(
        `the saved state of generator "${name}" is not a generator state (${JSON.stringify(savedRng[key])}); the file is damaged.`,
        { cause: e },
      );
    }
    rngStates.push([r, savedRng[key]!]);
  }
  loadBytes(bytes, optState !== undefined ? { model: targets.model, optState } : { model: targets.model });
  for (const [leaf, saved, state, rule] of updates) {
    leaf.state = state;
    leaf.frozen = saved.frozen;
    leaf.rule = rule;
  }
  for (const [r, state] of rngStates) r.setState(state);
  return { model: targets.model, optState, step, epoch, rng: savedRng, extra };
}

/**
 * Saves a training checkpoint to `path` atomically (a temporary file renamed over it, so a crash never
 * leaves half a checkpoint): the model's and optimiser state's tensors as safetensors, plus the step, the
 * epoch, generator states, each Leaf's rule settings and any `extra` JSON in the header (see
 * `checkpointBytes`). Node, Bun and Deno; in browsers use `checkpointBytes`.
 *
 * @example
 * await saveCheckpoint("run.ckpt.safetensors", { model, optState, step, epoch, rng: { shuffle: loaderRng } });
 */
export async function saveCheckpoint(path: string, contents: CheckpointContents): Promise<void> {
  checkPath(path, "saveCheckpoint");
  const bytes = await checkpointBytes(contents);
  await withFileErrors("saveCheckpoint", "write", path, () => writeFileAtomic(path, bytes));
}

/**
 * Loads a checkpoint written by `saveCheckpoint` into `targets`, in place: the model's tensors, the
 * optimiser state (tensors, plain state such as Adam's βᵗ, rule hyper-parameters, frozen flags) and the
 * generators in `rng`. Build the targets as for a fresh run (the same architecture, `setup` with the same
 * rule); everything is checked before anything is written. Returns the step, epoch and `extra` saved: pass
 * the result as `train`'s `resume` option to continue where the run stopped.
 *
 * @example
 * const model = buildModel();
 * const ck = await loadCheckpoint("run.ckpt.safetensors", { model, optState: setup(Adam(), model) });
 * await train(loss, model, loader, ck.optState, { epochs: 10, resume: ck });
 */
export async function loadCheckpoint<M, S = unknown>(
  path: string,
  targets: CheckpointTargets<M, S>,
): Promise<Checkpoint<M, S>> {
  checkPath(path, "loadCheckpoint");
  const fs: typeof import("node:fs/promises") = await import(/* @vite-ignore */ FS_PROMISES);
  const bytes = await withFileErrors("loadCheckpoint", "read", path, () => fs.readFile(path));
  return loadCheckpointBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), targets);
}

// The module name sits in a variable so that browser bundlers do not try to resolve a Node built-in.
const FS_PROMISES = "node:fs/promises";
