// A JS number operand takes the tensor's dtype: with an integer tensor, a number the dtype cannot hold is
// refused instead of being truncated or wrapped (Julia would promote; `tensor` and `fill` refuse the same).
import { describe, expect, it } from "vitest";
import { ArgumentError } from "../errors.js";
import { tensor } from "./creation.js";
import { add, eq, maximum, mul, sub, where } from "./elementwise.js";

describe("number operands of integer tensors", () => {
  const i32 = () => tensor([1, 2], [2], { dtype: "i32" });
  const u8 = () => tensor([3, 200], [2], { dtype: "u8" });

  it.each([
    ["add(i32, 0.5)", () => add(i32(), 0.5), /0\.5 cannot be an operand of a i32 tensor/],
    ["sub(0.25, i32)", () => sub(0.25, i32()), /0\.25 cannot be an operand of a i32 tensor/],
    ["mul(u8, -1)", () => mul(u8(), -1), /-1 cannot be an operand of a u8 tensor.*0\.\.255/],
    ["mul(u8, 300)", () => mul(u8(), 300), /300 cannot be an operand of a u8 tensor/],
    ["eq(i32, 2^40)", () => eq(i32(), 2 ** 40), /cannot be an operand of a i32 tensor/],
    ["maximum(i32, NaN)", () => maximum(i32(), Number.NaN), /NaN cannot be an operand/],
    ["where(c, i32, 1.5)", () => where(eq(i32(), 1), i32(), 1.5), /1\.5 cannot be an operand/],
  ])("%s throws ArgumentError", (_name, run, message) => {
    expect(run).toThrow(ArgumentError);
    expect(run).toThrow(message);
  });

  it("numbers the dtype holds still work, and float tensors take any number", () => {
    expect(Array.from(add(i32(), -3).dataSync())).toEqual([-2, -1]);
    expect(Array.from(mul(u8(), 1).dataSync())).toEqual([3, 200]);
    expect(Array.from(add(tensor([1], [1]), 0.5).dataSync())).toEqual([1.5]);
    expect(Array.from(add(tensor([true], [1], { dtype: "bool" }), 2).dataSync())).toEqual([3]);
  });
});
