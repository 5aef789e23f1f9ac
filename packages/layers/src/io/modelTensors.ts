// The tensors of a model as a safetensors file names them: key paths joined with ".", each tensor once
// under the first path where it appears (later paths of a tied tensor are aliases).
import { children, isLeaf } from "@flux/functors";
import { isTensor, type Tensor } from "@flux/kernels";
import { layoutOf, type TorchLayout } from "./torchLayout";

/** One named tensor of a model. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: Tensor;
  readonly layout: TorchLayout | undefined;
}

/** The model's tensors in walk order, plus tie aliases (`alias name → first name`). */
export interface ModelTensors {
  readonly entries: readonly NamedTensor[];
  readonly aliases: ReadonlyMap<string, string>;
}

/** @internal Walks every child (trainable or not) of `m`, depth first. */
export function modelTensors(m: unknown): ModelTensors {
  const entries: NamedTensor[] = [];
  const aliases = new Map<string, string>();
  const first = new Map<Tensor, string>();
  const onStack = new Set<unknown>();
  const visit = (x: unknown, parent: unknown, key: string, path: string): void => {
    if (isTensor(x)) {
      const had = first.get(x);
      if (had !== undefined) aliases.set(path, had);
      else {
        first.set(x, path);
        entries.push({ name: path, tensor: x, layout: layoutOf(parent, key) });
      }
      return;
    }
    // A shared container is walked at each place (its tensors' later paths become aliases); only a
    // container inside itself is skipped.
    if (x === null || typeof x !== "object" || isLeaf(x) || onStack.has(x)) return;
    onStack.add(x);
    const c = children(x);
    const kids =
      c instanceof Map ? [...c.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(c);
    for (const [k, v] of kids) visit(v, x, k, path === "" ? k : `${path}.${k}`);
    onStack.delete(x);
  };
  visit(m, undefined, "", "");
  return { entries, aliases };
}

/** @internal Throws unless typed arrays are little-endian here (safetensors data is little-endian). */
export function requireLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error(
      "[@flux/layers] safetensors: this platform is big-endian; safetensors files are little-endian and byte swapping is not implemented.",
    );
  }
}
