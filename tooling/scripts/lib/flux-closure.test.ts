import { describe, expect, it } from "vitest";
import { fluxClosure } from "./flux-closure.mjs";

const peer = { peerDependencies: {} as Record<string, string> };
const functors = { name: "@flux/functors" };
const kernels = {
  name: "@flux/kernels",
  peerDependencies: { webgpu: "^0.6", "@flux/extra": "*" },
  peerDependenciesMeta: { webgpu: { optional: true }, "@flux/extra": { optional: true } },
};
const devices = { name: "@flux/devices", peerDependencies: { "@flux/functors": "*", "@flux/kernels": "*" } };
const layers = { name: "@flux/layers", dependencies: { "@flux/devices": "*", lodash: "^4" } };
const byName = new Map([functors, kernels, devices, layers].map((m) => [m.name, { ...peer, ...m }]));

describe("fluxClosure", () => {
  it("is just the package when it needs no @flux sibling", () => {
    expect(fluxClosure(functors, byName)).toEqual(["@flux/functors"]);
  });

  it("skips optional peers and non-@flux packages", () => {
    expect(fluxClosure(kernels, byName)).toEqual(["@flux/kernels"]);
  });

  it("follows peers and dependencies transitively, each once", () => {
    expect(fluxClosure(layers, byName).sort()).toEqual(
      ["@flux/devices", "@flux/functors", "@flux/kernels", "@flux/layers"].sort(),
    );
  });

  it("lists a needed package it does not know, so the caller can report it", () => {
    const orphan = { name: "@flux/orphan", peerDependencies: { "@flux/ghost": "*" } };
    expect(fluxClosure(orphan, byName)).toEqual(["@flux/orphan", "@flux/ghost"]);
  });
});
