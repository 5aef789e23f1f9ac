// The optimiser. With @flux/optim built: `setup(Adam(lr), model)` and `updateInPlace` (Flux's `update!`).
// Until then a small Adam over the model's tensor leaves (Optimisers.jl's rule: β = (0.9, 0.999), ϵ = 1e-8,
// bias-corrected), updating the parameters in place with `assign` so the model object stays the same.
import * as functors from "@flux/functors";
import * as kernels from "@flux/kernels";
import * as optim from "@flux/optim";

const { add, assign, div, isTensor, mul, sqrt, sub, tidy, zerosLike, keep } = kernels;

/**
 * Returns `{ step(model, grad), setLearningRate(eta), name }` for Adam with learning rate `lr`.
 *
 * @example
 * const opt = makeAdam(model, 1e-3); opt.step(model, grad); // parameters changed in place
 * opt.setLearningRate(5e-4); // Optimisers.jl's adjust!(state, eta)
 */
export function makeAdam(model, lr) {
  if (typeof optim.setup === "function" && typeof optim.Adam === "function") {
    const state = optim.setup(optim.Adam(lr), model);
    return {
      name: `Adam(${lr}) from @flux/optim`,
      step: (m, g) => optim.updateInPlace(state, m, g),
      setLearningRate: (eta) => optim.adjustInPlace(state, { eta }),
    };
  }
  return ownAdam(model, lr);
}

function ownAdam(model, initialLr, [b1, b2] = [0.9, 0.999], eps = 1e-8) {
  let lr = initialLr;
  const params = functors.fleaves(model).filter(isTensor);
  const moments = new Map(params.map((p) => [p, { m: keep(zerosLike(p)), v: keep(zerosLike(p)) }]));
  let t = 0;
  const step = (m, grad) => {
    t += 1;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (const [p, g] of zipParams(m, grad)) {
      const s = moments.get(p);
      tidy(() => {
        assign(s.m, add(mul(s.m, b1), mul(g, 1 - b1)));
        assign(s.v, add(mul(s.v, b2), mul(mul(g, g), 1 - b2)));
        assign(p, sub(p, mul(div(s.m, add(sqrt(div(s.v, c2)), eps)), lr / c1)));
      });
    }
  };
  const setLearningRate = (eta) => {
    lr = eta;
  };
  return { name: `Adam(${initialLr}) (the demo's own: @flux/optim not built yet)`, step, setLearningRate };
}

// Pairs each parameter with its gradient (a tree shaped like the model; null where nothing flowed).
function zipParams(p, g, out = []) {
  if (isTensor(p)) {
    if (isTensor(g)) out.push([p, g]);
  } else if (p !== null && typeof p === "object" && g !== null && typeof g === "object") {
    for (const key of Object.keys(p)) zipParams(p[key], g[key], out);
  }
  return out;
}
