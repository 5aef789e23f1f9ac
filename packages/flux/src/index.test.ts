import * as data from "@flux/data";
import * as devices from "@flux/devices";
import * as distributed from "@flux/distributed";
import * as flux from "@flux/flux";
import * as functors from "@flux/functors";
import * as kernels from "@flux/kernels";
import * as layers from "@flux/layers";
import * as optim from "@flux/optim";
import { describe, expect, it } from "vitest";
import { CANONICAL, PACKAGES } from "./canonical.js";
import { VERSION } from "./version.js";

const modules: Record<(typeof PACKAGES)[number], Record<string, unknown>> = {
  "@flux/functors": functors,
  "@flux/kernels": kernels,
  "@flux/devices": devices,
  "@flux/layers": layers,
  "@flux/optim": optim,
  "@flux/data": data,
  "@flux/distributed": distributed,
};
const umbrella = flux as Record<string, unknown>;

// Names exported by several packages. Equal objects/functions are one binding re-exported (ES modules
// merge those); equal primitives may still be separate bindings, so every shared primitive counts.
function collisions(): Map<string, string[]> {
  const owners = new Map<string, { pkg: string; value: unknown }[]>();
  for (const pkg of PACKAGES) {
    for (const [name, value] of Object.entries(modules[pkg])) {
      owners.set(name, [...(owners.get(name) ?? []), { pkg, value }]);
    }
  }
  const out = new Map<string, string[]>();
  for (const [name, list] of owners) {
    if (list.length < 2) continue;
    const first = list[0]!.value;
    const oneBinding =
      (typeof first === "object" || typeof first === "function") && list.every((o) => o.value === first);
    if (!oneBinding)
      out.set(
        name,
        list.map((o) => o.pkg),
      );
  }
  return out;
}

describe("@flux/flux re-exports every package", () => {
  it("lists the packages the umbrella depends on", async () => {
    // biome-ignore lint/correctness/useImportExtensions: a JSON import; the rule's forced .js would break it
    const { default: pkgJson } = await import("../package.json", { with: { type: "json" } });
    expect(Object.keys(pkgJson.peerDependencies).sort()).toEqual([...PACKAGES].sort());
  });

  it("resolves every collision explicitly (CANONICAL covers each one)", () => {
    const unresolved = [...collisions()].filter(([name]) => !(name in CANONICAL));
    expect(unresolved, "add each to canonical.ts and an explicit export in index.ts").toEqual([]);
  });

  it("takes each colliding name from its canonical source", () => {
    for (const [name, source] of Object.entries(CANONICAL)) {
      const expected = source === "@flux/flux" ? { VERSION }[name] : modules[source][name];
      expect(umbrella[name], `${name} from ${source}`).toBe(expected);
    }
    expect(flux.VERSION).toBe(VERSION);
  });

  it("exposes every other export of every package, as the same object", () => {
    const shared = collisions();
    for (const pkg of PACKAGES) {
      for (const [name, value] of Object.entries(modules[pkg])) {
        if (shared.has(name)) continue;
        expect(umbrella[name], `${name} from ${pkg}`).toBe(value);
      }
    }
  });

  it("exports nothing that no package exports (besides its own VERSION)", () => {
    const known = new Set(PACKAGES.flatMap((p) => Object.keys(modules[p])));
    expect(Object.keys(umbrella).filter((n) => !known.has(n))).toEqual([]);
  });
});
