// The root README, executed: its TypeScript example runs (see ./runMarkdownBlocks.ts), then the model it
// saved is reloaded on the CPU and must solve XOR, so the front page cannot drift from the code.
import { join } from "node:path";
import { apply, Chain, Dense, load, onecold, rng, setDefaultRng, sigmoid, tensor } from "@flux/flux";
import { expect } from "vitest";
import { describeMarkdownBlocks } from "./runMarkdownBlocks.js";

// The example draws its initial weights and its shuffles from the default RNG; a fixed seed makes the check
// below deterministic (the README says "usually": a few seeds land in a local minimum, as in Flux).
setDefaultRng(rng(1));

describeMarkdownBlocks("README.md", {
  async afterBlocks(projectDir) {
    const model = Chain(Dense(2, 3, sigmoid), Dense(3, 2));
    await load(join(projectDir, "xor.safetensors"), model);
    const x = tensor([0, 0, 0, 1, 1, 0, 1, 1], [2, 4]);
    expect(Array.from(await onecold(apply(model, x)).data())).toEqual([0, 1, 1, 0]);
  },
});
