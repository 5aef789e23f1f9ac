// Two API conventions of every package, checked over every export so that a new name that breaks one fails
// here (docs/ARCHITECTURE.md states both):
// 1. One constructor convention: a public class is called like a Julia constructor, without `new`
//    (`Dense(2, 3)`, `Adam(1e-3)`, `DataLoader(data)`); `new` gives the same. A class may stay new-only only
//    when users never call its constructor: an error, an abstract base, or a class made by a function.
// 2. One owner per name: no two packages export one name (value or type) with different meanings, so the
//    umbrella's `export *` drops nothing; VERSION, each package's own version, is the one shared name.
import { beforeAll, describe, expect, it } from "vitest";
import { type ApiExport, apiExports, ENTRIES } from "./api.fixture.js";

const CALLABLE = Symbol.for("flux.callableClass");
const PACKAGES = Object.keys(ENTRIES).filter((e) => e !== "@flux/flux");
// Each package's VERSION: the same meaning everywhere (all packages share one version while they are 0.x).
const SHARED_NAMES = new Set(["VERSION"]);

let api: ApiExport[];
const modules: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  api = apiExports();
  for (const entry of Object.keys(ENTRIES)) modules[entry] = (await import(entry)) as Record<string, unknown>;
}, 120_000);

function outcome(f: () => unknown): { value: unknown } | { error: unknown } {
  try {
    return { value: f() };
  } catch (error) {
    return { error };
  }
}

describe("one constructor convention", () => {
  it("every public class is callable without new, unless users never construct it", () => {
    const problems: string[] = [];
    for (const entry of PACKAGES) {
      for (const [name, value] of Object.entries(modules[entry]!)) {
        if (typeof value !== "function") continue;
        const source = Function.prototype.toString.call(value);
        const wrapped = (value as unknown as Record<symbol, unknown>)[CALLABLE] === true;
        const plainClass = source.startsWith("class");
        const proto = (value as { prototype?: object }).prototype;
        // A plain function used as a constructor (methods on its prototype) counts as a class too.
        const constructorFunction =
          !wrapped && !plainClass && proto !== undefined && Object.getOwnPropertyNames(proto).length > 1;
        if (plainClass || constructorFunction) {
          const exemption = api.find((e) => e.entry === entry && e.name === name)?.classExemption;
          if (!exemption)
            problems.push(
              `${entry} ${name}: a class with a public constructor must be callable without new ` +
                "(wrap it with @flux/functors' callableClass, or layerConstructor for a layer)",
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("a wrapped class behaves the same with and without new", () => {
    const problems: string[] = [];
    let wrapped = 0;
    for (const entry of PACKAGES) {
      for (const [name, value] of Object.entries(modules[entry]!)) {
        if (typeof value !== "function" || (value as unknown as Record<symbol, unknown>)[CALLABLE] !== true)
          continue;
        wrapped++;
        const C = value as unknown as new () => object;
        // No arguments: most constructors refuse them with their package's named error; both forms must agree.
        const called = outcome(() => (C as unknown as () => object)());
        const built = outcome(() => new C());
        const bad = [called, built].find(
          (o) => "error" in o && o.error instanceof TypeError && /new|constructor/.test(o.error.message),
        );
        if (bad && "error" in bad) problems.push(`${entry} ${name}: ${(bad.error as Error).message}`);
        else if ("value" in called && "value" in built) {
          if (!(called.value instanceof C) || !(built.value instanceof C))
            problems.push(`${entry} ${name}: an instance must satisfy instanceof ${name}`);
        } else if ("error" in called && "error" in built) {
          const a = (called.error as Error)?.constructor;
          const b = (built.error as Error)?.constructor;
          if (a !== b) problems.push(`${entry} ${name}: ${a?.name} without new, ${b?.name} with new`);
        } else problems.push(`${entry} ${name}: one form throws and the other does not`);
      }
    }
    expect(problems).toEqual([]);
    expect(wrapped).toBeGreaterThan(60); // layers, rules, walks, loaders, containers
  });
});

describe("one owner per name", () => {
  it("no two packages export one name with different meanings", () => {
    const byName = new Map<string, ApiExport[]>();
    for (const e of api.filter((e) => e.entry !== "@flux/flux")) {
      byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
    }
    const clashes: string[] = [];
    for (const [name, list] of byName) {
      const owners = new Set(list.filter((e) => !e.deprecated).map((e) => e.declaration));
      if (owners.size > 1 && !SHARED_NAMES.has(name))
        clashes.push(`${name}: ${list.map((e) => `${e.entry} (${e.declaration})`).join(", ")}`);
    }
    expect(clashes, "rename one, or import it from its owner").toEqual([]);
  });

  it("the umbrella exports every name of every package, from its owner", () => {
    const umbrella = new Map(api.filter((e) => e.entry === "@flux/flux").map((e) => [e.name, e]));
    const problems: string[] = [];
    for (const e of api) {
      if (e.entry === "@flux/flux" || e.entry === "@flux/kernels/webgpu" || e.deprecated) continue;
      const u = umbrella.get(e.name);
      if (!u) problems.push(`${e.name} (${e.entry}) is missing from @flux/flux`);
      else if (!SHARED_NAMES.has(e.name) && u.declaration !== e.declaration)
        problems.push(`${e.name}: @flux/flux gives ${u.declaration}, ${e.entry} owns ${e.declaration}`);
    }
    expect(problems).toEqual([]);
  });

  it("VERSION is the same version in every package", () => {
    const versions = new Set(
      Object.keys(ENTRIES)
        .map((e) => modules[e]!.VERSION)
        .filter(Boolean),
    );
    expect(versions.size).toBe(1);
  });
});
