// Flux's `loadmodel!`: walk the destination and the source together, check, then copy. Unlike Flux, every
// check runs before the first copy, so a failed load leaves the destination untouched.
import { checkNotPromise, children, isleaf } from "@flux/functors";
import { assign, cast, isTensor, type Tensor, tensor, zeros } from "@flux/kernels";
import { LoadModelError } from "../errors.js";

type Copy = { dst: Tensor; src: Tensor | false; path: string };

function entries(x: unknown): [string, unknown][] {
  const c = children(x);
  if (c instanceof Map) return [...c.entries()].map(([k, v]) => [String(k), v]);
  return Object.entries(c);
}

function describe(x: unknown): string {
  if (isTensor(x)) return `a [${x.shape.join(", ")}] ${x.dtype} tensor`;
  if (x === null || x === undefined) return "nothing";
  if (typeof x === "object") return `a ${Array.isArray(x) ? "array" : (x.constructor?.name ?? "object")}`;
  return `${typeof x} ${String(x)}`;
}

function syncValues(t: Tensor, path: string): ArrayLike<number> {
  try {
    return t.dataSync() as ArrayLike<number>;
  } catch (cause) {
    throw new LoadModelError(
      "ERR_LOAD_DEVICE",
      path,
      `reading ${describe(t)} on ${String(t.device)} synchronously failed; move the source to the CPU first (await cpu(src)). (${String(cause)})`,
    );
  }
}

function allZero(t: Tensor, path: string): boolean {
  const v = syncValues(t, path);
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
}

function sameValues(a: Tensor, b: Tensor, path: string): boolean {
  if (a === b) return true;
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  const x = syncValues(a, path);
  const y = syncValues(b, path);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function plan(
  dst: unknown,
  src: unknown,
  path: string,
  loaded: Map<unknown, unknown>,
  copies: Copy[],
  stack: Set<unknown>,
): void {
  const d = entries(dst);
  const s = entries(src);
  const dk = d.map(([k]) => k);
  const sk = s.map(([k]) => k);
  if (dk.length !== sk.length || dk.some((k, i) => k !== sk[i])) {
    throw new LoadModelError(
      "ERR_LOAD_STRUCTURE",
      path,
      `tried to load (${sk.join(", ")}) into (${dk.join(", ")}) but the structures do not match.`,
    );
  }
  for (let i = 0; i < d.length; i++) {
    const [k, ldst] = d[i]!;
    const lsrc = s[i]![1];
    const here = path === "" ? k : `${path}.${k}`;
    if (ldst !== null && typeof ldst === "object" && loaded.has(ldst)) {
      tieCheck(ldst, loaded.get(ldst), lsrc, here);
    } else if (isleaf(ldst)) {
      if (ldst !== null && typeof ldst === "object") loaded.set(ldst, lsrc);
      planLeaf(ldst, lsrc, here, copies);
    } else if (!stack.has(ldst)) {
      // Containers are walked again when shared, so that their tensors get the tie check (as Flux).
      stack.add(ldst);
      plan(ldst, lsrc, here, loaded, copies, stack);
      stack.delete(ldst);
    }
  }
}

function tieCheck(dst: unknown, first: unknown, src: unknown, path: string): void {
  if (!isTensor(dst)) return;
  const ok = isTensor(first) && isTensor(src) ? sameValues(first, src, path) : first === src;
  if (!ok) {
    throw new LoadModelError(
      "ERR_LOAD_TIE",
      path,
      "encountered tied destination parameters with untied and mismatched sources.",
    );
  }
}

function planLeaf(dst: unknown, src: unknown, path: string, copies: Copy[]): void {
  for (const [t, which] of [
    [dst, "destination"],
    [src, "source"],
  ] as const) {
    if (isTensor(t) && t.isDisposed)
      throw new LoadModelError(
        "ERR_LOAD_DISPOSED",
        path,
        `the ${which} is ${describe(t)} that was already disposed (dispose() or tidy() freed it); nothing was copied. Keep the model's tensors alive while loading.`,
      );
  }
  if (isTensor(dst)) {
    if (src === false) return void copies.push({ dst, src: false, path });
    if (src === true)
      throw new LoadModelError("ERR_LOAD_LEAF", path, "cannot copy boolean parameter == true to an array.");
    if (!isTensor(src))
      throw new LoadModelError(
        "ERR_LOAD_LEAF",
        path,
        `tried to copy ${describe(src)} into an array destination; this is not allowed.`,
      );
    if (dst.shape.length !== src.shape.length || dst.shape.some((n, i) => n !== src.shape[i])) {
      throw new LoadModelError(
        "ERR_LOAD_SIZE",
        path,
        `tried to load size [${src.shape.join(", ")}] array into size [${dst.shape.join(", ")}].`,
      );
    }
    return void copies.push({ dst, src, path });
  }
  if (isTensor(src)) {
    if (dst === false && allZero(src, path)) return;
    throw new LoadModelError(
      "ERR_LOAD_LEAF",
      path,
      `tried to copy an array to ${describe(dst)}; this is not allowed.`,
    );
  }
}

function sourceOn(dst: Tensor, src: Tensor, path: string): Tensor {
  if (src.device === dst.device) return src.dtype === dst.dtype ? src : cast(src, dst.dtype);
  const host = tensor(Float64Array.from(syncValues(src, path)), [...src.shape], { dtype: "f64" });
  // Convert on the host, then upload to the destination's device.
  const converted = dst.dtype === "f64" ? host : cast(host, dst.dtype);
  const out = tensor(converted.dataSync(), [...dst.shape], { dtype: dst.dtype, device: dst.device });
  host.dispose();
  if (converted !== host) converted.dispose();
  return out;
}

/**
 * Flux's `loadmodel!(dst, src)`: copies every tensor (trainable or not) of `src` into `dst`, in place.
 *
 * `src` is a model of the same structure or a `state(...)` tree. Checked like Flux: the children must
 * have the same keys at every level, sizes must match, arrays never go where a non-array is (except an
 * all-zero array into `bias: false`, and `false` into an array, which zeroes it), and a tied destination
 * must receive equal sources, and no tensor on either side may be disposed. Throws `LoadModelError`
 * naming the key path; all checks run before the first copy, so a failed call changes nothing. Values are converted to `dst`'s dtype and device
 * (a source on another device must be readable synchronously, i.e. on the CPU). Returns `dst`.
 *
 * @example
 * const m2 = Chain(Dense(1, 2, tanh), Dense(2, 1));
 * loadmodel(m2, state(m1)); // m2's weights now equal m1's
 */
export function loadmodel<T>(dst: T, src: unknown): T {
  checkNotPromise(dst, "loadmodel", "dst");
  checkNotPromise(src, "loadmodel", "src");
  const copies: Copy[] = [];
  plan(dst, src, "", new Map(), copies, new Set([dst]));
  const prepared = copies.map(({ dst, src, path }) => ({
    dst,
    src:
      src === false
        ? zeros([...dst.shape], { dtype: dst.dtype, device: dst.device })
        : sourceOn(dst, src, path),
    owned: src === false || src.device !== dst.device || src.dtype !== dst.dtype,
  }));
  for (const { dst, src, owned } of prepared) {
    if (src !== dst) assign(dst, src);
    if (owned) src.dispose();
  }
  return dst;
}
