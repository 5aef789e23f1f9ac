import { describe, expect, it } from "vitest";
import { checkNotPromise } from "./checkNotPromise.js";
import { UnawaitedPromiseError } from "./errors.js";

describe("checkNotPromise", () => {
  it("passes values through and names the function and argument of a Promise", () => {
    const m = { w: 1 };
    expect(checkNotPromise(m, "setup", "model")).toBe(m);
    const p = Promise.resolve(m);
    expect(() => checkNotPromise(p, "setup", "model")).toThrow(UnawaitedPromiseError);
    expect(() => checkNotPromise(p, "setup", "model")).toThrow(/setup: `model` is a Promise.*forget `await`/);
    // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is exactly what this case needs
    expect(() => checkNotPromise({ then: () => {} }, "save", "m")).toThrow(/ERR_UNAWAITED_PROMISE|Promise/);
    expect(checkNotPromise(null, "f", "x")).toBe(null);
  });
});
