// setup and train name a wrong argument instead of failing inside (`rule.init is not a function`,
// `data is not async iterable`).
import { tensor, sum } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { Adam, Descent, OptimError, RuleArgumentError, setup, train } from "./index.js";

describe("setup refuses what is not a rule", () => {
  const model = { w: tensor([1, 2], [2]) };
  it.each([
    ["an object", {}, /got object\.$/],
    ["null", null, /got null/],
    ["the constructor itself", Adam, /constructor Adam: call it, e\.g\. setup\(Adam\(\), model\)/],
  ])("%s", (_name, rule, message) => {
    expect(() => setup(rule as never, model)).toThrow(RuleArgumentError);
    expect(() => setup(rule as never, model)).toThrow(message);
  });
  it("swapped arguments", () => {
    expect(() => setup(model as never, Descent() as never)).toThrow(/arguments look swapped/);
  });
});

describe("train names a bad loss function or data", () => {
  const model = { w: tensor([1, 2], [2]) };
  const state = setup(Descent(0.1), model);
  it("a loss that is not a function", async () => {
    const err = await train(3 as never, model, [[]], state).catch((e) => e);
    expect(err).toBeInstanceOf(OptimError);
    expect(err.code).toBe("ERR_TRAIN_LOSS");
    expect(err.message).toMatch(/1st argument must be the loss function .* got number 3/);
  });
  it.each([
    ["a number", 5],
    ["null", null],
    ["a plain object", { x: 1 }],
  ])("data that is %s", async (_name, data) => {
    const err = await train((m: typeof model) => sum(m.w), model, data as never, state).catch((e) => e);
    expect(err).toBeInstanceOf(OptimError);
    expect(err.code).toBe("ERR_TRAIN_DATA");
    expect(err.message).toMatch(/data must be iterable or async iterable/);
    expect(Array.from(model.w.dataSync())).toEqual([1, 2]);
  });
});
