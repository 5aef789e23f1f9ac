// @flux/flux as a user meets it: one import exposes every package's names (as `using Flux` does), the same objects as the packages themselves export, with the name collisions (VERSION)
// resolved to the umbrella's choice.
import * as dataModule from "@flux/data";
import * as devicesModule from "@flux/devices";
import * as distributedModule from "@flux/distributed";
import * as fluxModule from "@flux/flux";
import * as functorsModule from "@flux/functors";
import * as kernelsModule from "@flux/kernels";
import * as layersModule from "@flux/layers";
import * as optimModule from "@flux/optim";

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

  t.check("exposes every export of every built package", () => {
    const packages = {
      "@flux/functors": functorsModule,
      "@flux/kernels": kernelsModule,
      "@flux/devices": devicesModule,
      "@flux/layers": layersModule,
      "@flux/optim": optimModule,
      "@flux/data": dataModule,
      "@flux/distributed": distributedModule,
    };
    const missing = Object.entries(packages).flatMap(([pkg, mod]) =>
      Object.keys(mod)
        .filter((name) => !(name in flux))
        .map((name) => `${pkg}: ${name}`),
    );
    t.deepEqual(missing, [], "names a package exports but @flux/flux does not");
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
