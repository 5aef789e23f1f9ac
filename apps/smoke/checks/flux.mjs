// @flux/flux as a user meets it (SPEC §8): one import exposes every package's names (every SPEC §1-§7 name
// among them), the same objects as the packages themselves export, with the name collisions (VERSION)
// resolved to the umbrella's choice.
import * as distributedModule from "@flux/distributed";
import * as fluxModule from "@flux/flux";
import * as functorsModule from "@flux/functors";
import * as kernelsModule from "@flux/kernels";
import { specExportProblems } from "../../../tooling/spec/names.mjs";

const flux = { ...fluxModule };

export default function (t) {
  t.check("exposes the names of functors, kernels and distributed", () => {
    for (const name of [
      "fmap",
      "fleaves",
      "tensor",
      "matmul",
      "gradient",
      "tidy",
      "allreduce",
      "synchronize",
    ])
      t.equal(typeof flux[name], "function", `export ${name}`);
    t.ok(flux.fmap === functorsModule.fmap, "fmap is functors' own");
    t.ok(flux.tensor === kernelsModule.tensor, "tensor is kernels' own");
    t.ok(flux.allreduce === distributedModule.allreduce, "allreduce is distributed's own");
  });

  t.check("exposes every SPEC name of §1-§7", () => {
    t.deepEqual(specExportProblems(flux), [], "SPEC names through @flux/flux");
  });

  t.check("VERSION, exported by every package, resolves to the umbrella's", () => {
    t.equal(typeof flux.VERSION, "string", "VERSION must survive the export * collision");
    t.ok(/^\d+\.\d+\.\d+/.test(flux.VERSION), "a semver");
  });

  t.check("a gradient through the umbrella alone", async () => {
    const { tensor, gradient, sum, mul } = flux;
    const x = tensor([1, 2, 3]);
    const [g] = gradient((v) => sum(mul(v, v)), x);
    t.deepEqual(Array.from(await g.data()), [2, 4, 6]);
  });
}
