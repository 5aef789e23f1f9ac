// @flux/optim as a user meets it: rules with Optimisers.jl defaults, setup → Leaf tree with ties
// shared, pure update vs updateInPlace, adjust/freeze, destructure, and train with a non-finite loss.
import * as kernels from "@flux/kernels";
import * as optimModule from "@flux/optim";

const optim = { ...optimModule };
const { tensor, mean, square, sub, mul, memory } = kernels;
const values = (t) => Array.from(t.dataSync());

export default function (t) {
  t.check("exports its public names (the README's API) from the built package", () => {
    for (const name of [
      "Descent",
      "Momentum",
      "Nesterov",
      "RMSProp",
      "Adam",
      "AdamW",
      "RAdam",
      "AdaGrad",
      "AdaDelta",
      "AdaMax",
      "NAdam",
      "Lion",
      "OptimiserChain",
      "ClipGrad",
      "ClipNorm",
      "WeightDecay",
      "SignDecay",
      "AccumGrad",
      "setup",
      "update",
      "updateInPlace",
      "adjust",
      "adjustInPlace",
      "freeze",
      "thaw",
      "destructure",
      "train",
    ])
      t.equal(typeof optim[name], "function", `export ${name}`);
  });

  t.check("rules carry Optimisers.jl's defaults", () => {
    t.equal(String(optim.Adam()), "Adam(eta=0.001, beta=[0.9, 0.999], epsilon=1e-8)");
    t.equal(optim.Descent().eta, 0.1);
    t.equal(optim.Adam(0.01).eta, 0.01);
  });

  t.check("setup shares one Leaf between tied weights; updateInPlace writes in place once", () => {
    const w = tensor([1, 1], [2], { dtype: "f64" });
    const model = { a: w, b: w };
    const state = optim.setup(optim.Descent(0.5), model);
    t.ok(state.a === state.b, "tied Leafs");
    const g = tensor([1, 2], [2], { dtype: "f64" });
    optim.updateInPlace(state, model, { a: g, b: g });
    t.deepEqual(values(w), [0.5, 0]);
  });

  t.check("update is pure; freeze stops updates; adjust changes eta", () => {
    const model = { w: tensor([1], [1], { dtype: "f64" }) };
    const state = optim.setup(optim.Descent(0.5), model);
    const [, m2] = optim.update(state, model, { w: tensor([1], [1], { dtype: "f64" }) });
    t.deepEqual(values(model.w), [1]);
    t.deepEqual(values(m2.w), [0.5]);
    const faster = optim.adjust(state, 1);
    t.equal(faster.w.rule.eta, 1);
    optim.freeze(state);
    optim.updateInPlace(state, model, { w: tensor([1], [1], { dtype: "f64" }) });
    t.deepEqual(values(model.w), [1]);
  });

  t.check("destructure round-trips", () => {
    const [flat, re] = optim.destructure({ w: tensor([1, 2, 3, 4], [2, 2]), b: tensor([5], [1]) });
    t.deepEqual(values(flat), [1, 2, 3, 4, 5]);
    const m = re(mul(flat, 2));
    t.deepEqual(values(m.w), [2, 4, 6, 8]);
  });

  t.check("train learns, leaks nothing, and stops on a non-finite loss naming the step", async () => {
    const x = tensor([1, 2, 3, 4], [1, 4]);
    const y = mul(x, 3);
    const model = { w: tensor([0], [1]) };
    const state = optim.setup(optim.Adam(0.1), model);
    const loss = (m, xb, yb) => mean(square(sub(mul(xb, m.w), yb)));
    const counts = [];
    await optim.train(
      loss,
      model,
      Array.from({ length: 50 }, () => [x, y]),
      state,
      {
        onStep: () => counts.push(memory().liveTensors),
      },
    );
    t.ok(Math.abs(values(model.w)[0] - 3) < 0.5, `w near 3 (got ${values(model.w)[0]})`);
    t.equal(new Set(counts.slice(1)).size, 1, "live tensors flat across steps");
    const bad = await optim
      .train(() => mean(tensor([Number.NaN], [1])), model, [[], []], state)
      .catch((e) => e);
    t.equal(bad?.code, "ERR_NON_FINITE_LOSS");
    t.equal(bad?.step, 0);
  });
}
