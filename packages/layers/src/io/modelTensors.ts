// The tensors of a model as a safetensors file names them: key paths joined with ".", each tensor once
// under the first path where it appears (later paths of a tied tensor are aliases). Names that a file
// cannot hold unambiguously are refused here, so a file is never written that cannot be loaded back.
import { children, isleaf } from "@flux/functors";
import { isTensor, type Tensor } from "@flux/kernels";
import { SafetensorsError } from "../errors.js";
import { resolveGroup, type TorchGroup } from "./torchGroups.js";
import { layoutOf, type TorchLayout } from "./torchLayout.js";
import { NUM_BATCHES_TRACKED, segmentName, type TensorNames, tracksBatches } from "./torchNames.js";
import { torchTensorsOf } from "./torchTensors.js";

/** One named tensor of a model. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: Tensor;
  readonly layout: TorchLayout | undefined;
}

/** A PyTorch-only entry with no tensor of ours behind it (BatchNorm's `num_batches_tracked`). */
export interface NamedCounter {
  readonly name: string;
  /** The layer the counter belongs to. */
  readonly layer: object;
}

/** The model's tensors in walk order, plus tie aliases (`alias name → first name`). */
export interface ModelTensors {
  readonly entries: readonly NamedTensor[];
  readonly aliases: ReadonlyMap<string, string>;
  /** PyTorch's `num_batches_tracked` entries (only with `names: "pytorch"`). */
  readonly counters: readonly NamedCounter[];
  /**
   * Layers whose PyTorch tensors are built from blocks of ours (nn.LSTM's two biases, nn.MultiheadAttention's
   * packed projection; only with `names: "pytorch"`). Their tensors are in no entry: a tensor tied between
   * a group and elsewhere appears in both, and loading checks that the file agrees.
   */
  readonly groups: readonly TorchGroup[];
}

/** Names the safetensors header gives a meaning of its own, or that break naive JSON readers. */
const RESERVED = new Set(["__metadata__", "__proto__"]);

function showPath(keys: readonly string[]): string {
  return `[${keys.map((k) => JSON.stringify(k)).join(", ")}]`;
}

/** @internal Walks every child (trainable or not) of `m`, depth first. */
export function modelTensors(m: unknown, names: TensorNames = "flux"): ModelTensors {
  const entries: NamedTensor[] = [];
  const aliases = new Map<string, string>();
  const counters: NamedCounter[] = [];
  const groups: TorchGroup[] = [];
  const first = new Map<Tensor, string>();
  // Every name given out, with the key path it came from, to refuse two paths that flatten alike.
  const taken = new Map<string, readonly string[]>();
  const claim = (name: string, keys: readonly string[], what: string): void => {
    if (RESERVED.has(name)) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_NAME",
        `the ${what} at key path ${showPath(keys)} would be named "${name}", which safetensors reserves (or JavaScript readers mishandle); rename that key.`,
      );
    }
    const had = taken.get(name);
    if (had !== undefined) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_NAME",
        `key paths ${showPath(had)} and ${showPath(keys)} both become the name "${name}" in the file, so it could not be loaded back; rename one of the keys (a Map's keys 1 and "1", or a key "a.b" beside a.b, collide).`,
      );
    }
    taken.set(name, keys);
  };
  const onStack = new Set<unknown>();
  const visit = (x: unknown, parent: unknown, key: string, path: string, keys: string[]): void => {
    if (isTensor(x)) {
      claim(path, keys, "tensor");
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
    if (x === null || typeof x !== "object" || isleaf(x) || onStack.has(x)) return;
    const table = names === "pytorch" ? torchTensorsOf(x) : undefined;
    if (table !== undefined) {
      const group = resolveGroup(x, path, table);
      for (const t of group.tensors)
        claim(t.name, [...keys, t.name.slice(path === "" ? 0 : path.length + 1)], "tensor");
      groups.push(group);
      return;
    }
    onStack.add(x);
    const c = children(x);
    const kids =
      c instanceof Map ? [...c.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(c);
    for (const [k, v] of kids) {
      const segment = segmentName(x, k, names);
      const next = segment === "" ? path : path === "" ? segment : `${path}.${segment}`;
      visit(v, x, k, next, [...keys, k]);
    }
    if (names === "pytorch" && tracksBatches(x)) {
      // PyTorch's state_dict lists a shared module under each of its names, counter included.
      const name = path === "" ? NUM_BATCHES_TRACKED : `${path}.${NUM_BATCHES_TRACKED}`;
      claim(name, [...keys, NUM_BATCHES_TRACKED], "BatchNorm counter");
      counters.push({ name, layer: x });
    }
    onStack.delete(x);
  };
  visit(m, undefined, "", "", []);
  return { entries, aliases, counters, groups };
}

/**
 * @internal Throws `SafetensorsError` `ERR_SAFETENSORS_DISPOSED` naming the first freed tensor of `mt`, so a
 * load or save fails before it reads or writes anything rather than part way through.
 */
export function requireLive(mt: ModelTensors, op: string): void {
  const all = [
    ...mt.entries.map((e) => [e.name, e.tensor] as const),
    ...mt.groups.flatMap((g) =>
      g.members.map((m) => [g.path === "" ? m.key : `${g.path}.${m.key}`, m.tensor] as const),
    ),
  ];
  for (const [name, t] of all) {
    if (t.isDisposed) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_DISPOSED",
        `${op}: the model's tensor "${name}" (${t.shape.join("×") || "scalar"} ${t.dtype}) was already disposed, so the model cannot be ${op === "loadBytes" ? "loaded into" : "saved"}; nothing was ${op === "loadBytes" ? "changed" : "written"}. Build the model again, or stop disposing its tensors (dispose(model) or tidy() freed it).`,
      );
    }
  }
}

/** @internal Throws unless typed arrays are little-endian here (safetensors data is little-endian). */
export function requireLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error(
      "[@flux/layers] safetensors: this platform is big-endian; safetensors files are little-endian and byte swapping is not implemented.",
    );
  }
}
