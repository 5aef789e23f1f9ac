import { describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, PlaygroundOptionError, parseOptions } from "./options.js";

describe("parseOptions", () => {
  it("keeps the defaults for an empty query", () => {
    expect(parseOptions("")).toEqual(DEFAULT_OPTIONS);
  });

  it("reads every key", () => {
    const o = parseOptions(
      "?steps=40&batch=32&hidden=64&lr=0.003&seed=7&evalEvery=10&device=webgpu&autostart",
    );
    expect(o).toEqual({
      steps: 40,
      batchsize: 32,
      hidden: 64,
      lr: 0.003,
      seed: 7,
      evalEvery: 10,
      device: "webgpu",
      autostart: true,
    });
  });

  it("treats autostart=0 and autostart=false as off", () => {
    expect(parseOptions("?autostart=0").autostart).toBe(false);
    expect(parseOptions("?autostart=false").autostart).toBe(false);
    expect(parseOptions("?autostart=1").autostart).toBe(true);
  });

  it.each([
    ["?steps=0", /steps=0/],
    ["?steps=2.5", /whole number/],
    ["?batch=abc", /batch=abc/],
    ["?device=tpu", /auto, webgpu or cpu/],
    ["?lr=0", /learning rate/],
    ["?lr=x", /learning rate/],
  ])("rejects %s with a named error", (query, message) => {
    expect(() => parseOptions(query)).toThrow(PlaygroundOptionError);
    expect(() => parseOptions(query)).toThrow(message);
  });
});
