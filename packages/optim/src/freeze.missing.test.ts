// freeze / thaw / adjustInPlace given a part of the state that does not exist (`state.layers[5]`, a typo'd
// key: `undefined`) or a path as a second argument used to do nothing, or act on the whole tree: the user
// believed a layer frozen while it trained. Both now throw OptimStructureError.
import { type Tensor, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import {
  Adam,
  adjust,
  adjustInPlace,
  freeze,
  OptimStructureError,
  setup,
  thaw,
  updateInPlace,
} from "./index.js";

const model = () => ({ layers: [{ w: tensor([1, 2], [2]) }, { w: tensor([3, 4], [2]) }] });
type St = { layers: { w: { frozen: boolean; rule: { eta: number } } }[] } & Record<string, unknown>;

describe("freeze / thaw / adjust on a part of the state that is not there", () => {
  it("throws for undefined (a key or index the state lacks) and changes nothing", () => {
    const st = setup(Adam(), model()) as unknown as St;
    for (const call of [
      () => freeze(st.layers[5]),
      () => thaw(st.encoder),
      () => adjustInPlace(st.layers[2], 0.1),
      () => adjust(st.decoder, { eta: 0.1 }),
    ]) {
      expect(call).toThrow(OptimStructureError);
      expect(call).toThrow(/got undefined instead of a state tree/);
    }
    expect(st.layers.map((l) => [l.w.frozen, l.w.rule.eta])).toEqual([
      [false, 0.001],
      [false, 0.001],
    ]);
  });

  it("a path as a second argument throws instead of freezing the whole tree", () => {
    const m = model();
    const st = setup(Adam(), m) as unknown as St;
    const call = () => (freeze as (...a: unknown[]) => void)(st, ["layers", 0]);
    expect(call).toThrow(OptimStructureError);
    expect(call).toThrow(/freeze takes one argument.*freeze\(state\.layers\[0\]\)/);
    expect(st.layers.map((l) => l.w.frozen)).toEqual([false, false]);
    expect(() => (thaw as (...a: unknown[]) => void)(st, "layers.0")).toThrow(/thaw takes one argument/);
    // The later layer still trains.
    const before = Array.from((m.layers[1]!.w as Tensor).dataSync());
    updateInPlace(st as never, m, { layers: [{ w: tensor([1, 1], [2]) }, { w: tensor([1, 1], [2]) }] });
    expect(Array.from((m.layers[1]!.w as Tensor).dataSync())).not.toEqual(before);
  });

  it("null (a state slot with nothing trainable) and a real subtree still work", () => {
    const st = setup(Adam(), model()) as unknown as St;
    expect(() => freeze(null)).not.toThrow();
    freeze(st.layers[0]);
    expect(st.layers.map((l) => l.w.frozen)).toEqual([true, false]);
    thaw(st);
    expect(st.layers.map((l) => l.w.frozen)).toEqual([false, false]);
  });
});
