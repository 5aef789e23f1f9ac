// Flux's text/plain printing of models (src/layers/show.jl): one layer per line with parameter counts,
// nested containers indented, and a closing total line. Only shapes and dtypes are read, never values,
// so it works for models on any device.
import { isleaf } from "@flux/functors";
import { bytesPerElement, isTensor, type Tensor } from "@flux/kernels";
import { activationName } from "../activation.js";
import { allTensors, trainables } from "../trainables.js";
import { formatBytes, underscorise } from "./format.js";
import { SHOW_CHILDREN, type ShowChildren, type ShowsChildren } from "./protocol.js";

/**
 * The one-line form of a layer or value (Julia's `show(io, x)`): `Dense(2 => 3)`, `relu`,
 * `Chain(Dense(2 => 3), relu)`.
 *
 * @example
 * showCompact(Chain(Dense(2, 3), relu)); // "Chain(Dense(2 => 3), relu)"
 */
export function showCompact(x: unknown): string {
  if (
    x !== null &&
    typeof x === "object" &&
    typeof (x as { showCompact?: unknown }).showCompact === "function"
  ) {
    return (x as { showCompact(): string }).showCompact();
  }
  if (isTensor(x)) return tensorSummary(x);
  if (typeof x === "function") return activationName(x);
  if (Array.isArray(x)) return `[${x.map(showCompact).join(", ")}]`;
  if (x === null || x === undefined) return "nothing";
  if (typeof x === "object") {
    const entries = Object.entries(x).map(([k, v]) => `${k} = ${showCompact(v)}`);
    return `(${entries.join(", ")})`;
  }
  return String(x);
}

function tensorSummary(t: Tensor): string {
  const dims = t.rank === 1 ? `${t.shape[0]}-element` : t.rank === 0 ? "0-dimensional" : t.shape.join("×");
  return `${dims} Tensor{${t.dtype}}`;
}

/**
 * Flux's multi-line printing of a model (what the REPL shows): one layer per line with `# N parameters`
 * comments, nested containers indented, and `# Total: ...` when there are more than 2 arrays.
 *
 * Bytes in the total are the tensors' payload (element count × element size), where Julia reports
 * `Base.summarysize`. `toString()` and Node's `util.inspect` of every layer print this.
 *
 * @example
 * show(Chain(Dense(10, 5, σ), Dense(5, 2)));
 * // Chain(
 * //   Dense(10 => 5, σ),                    # 55 parameters
 * //   Dense(5 => 2),                        # 12 parameters
 * // )                   # Total: 4 arrays, 67 parameters, 268 bytes.
 */
export function show(x: unknown): string {
  const out: string[] = [];
  bigShow(out, x, 0, null);
  return out.join("");
}

function containerOf(x: unknown): ShowChildren | undefined {
  if (x === null || typeof x !== "object" || isTensor(x)) return undefined;
  if (typeof (x as Partial<ShowsChildren>)[SHOW_CHILDREN] === "function")
    return (x as ShowsChildren)[SHOW_CHILDREN]();
  if (typeof (x as { showCompact?: unknown }).showCompact === "function") return undefined;
  if (Array.isArray(x)) return { pre: "[", post: "]", items: x.map((v) => [null, v] as const) };
  if (Object.getPrototypeOf(x) === Object.prototype) {
    return { pre: "(;", post: ")", items: Object.entries(x).map(([k, v]) => [k, v] as const) };
  }
  return undefined;
}

// Flux's `_show_leaflike`: what does not expand (functions, numbers, tensors, layers printed in one line).
function leaflike(x: unknown): boolean {
  return isleaf(x) || (Array.isArray(x) && x.every((v) => typeof v === "number"));
}

function bigShow(out: string[], x: unknown, indent: number, name: string | null): void {
  const c = containerOf(x);
  if (c === undefined || c.items.every(([, v]) => leaflike(v))) {
    layerShow(out, x, indent, name);
    return;
  }
  out.push(`${" ".repeat(indent)}${name === null ? "" : `${name} = `}${c.pre}\n`);
  for (const [k, v] of c.items) bigShow(out, v, indent + 2, k);
  if (indent === 0) {
    out.push(c.post.padEnd(2));
    bigFinale(out, x);
  } else {
    out.push(`${" ".repeat(indent)}${c.post},\n`);
  }
}

function count(ts: readonly Tensor[]): number {
  return ts.reduce((s, t) => s + t.size, 0);
}

function layerShow(out: string[], x: unknown, indent: number, name: string | null): void {
  const str = `${name === null ? "" : `${name} = `}${showCompact(x)}`;
  out.push(`${" ".repeat(indent)}${str}${indent === 0 ? "" : ","}`);
  const ps = trainables(x);
  if (ps.length > 0) {
    // Julia's length(str) counts characters, not UTF-16 units.
    out.push(" ".repeat(Math.max(2, (indent === 0 ? 20 : 39) - indent - [...str].length)));
    out.push(`# ${underscorise(count(ps))} parameters`);
    const nonparam = count(allTensors(x)) - count(ps);
    if (nonparam > 0) out.push(`, plus ${underscorise(nonparam)}${indent === 0 ? " non-trainable" : ""}`);
  }
  if (indent !== 0) out.push("\n");
}

function bigFinale(out: string[], m: unknown): void {
  const ps = trainables(m);
  if (ps.length <= 2) return;
  const all = allTensors(m);
  const pars = underscorise(count(ps));
  const bytes = formatBytes(all.reduce((s, t) => s + t.size * bytesPerElement(t.dtype), 0));
  const noncnt = all.length - ps.length;
  if (noncnt > 0) {
    const nonparam = underscorise(count(all) - count(ps));
    out.push(`${" ".repeat(8)}# Total: ${ps.length} trainable arrays, ${pars} parameters,\n`);
    out.push(
      `${" ".repeat(10)}# plus ${noncnt} non-trainable, ${nonparam} parameters, summarysize ${bytes}.`,
    );
  } else {
    out.push(`${" ".repeat(18)}# Total: ${ps.length} arrays, ${pars} parameters, ${bytes}.`);
  }
}
