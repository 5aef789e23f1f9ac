// Sampling text from a trained model: feed the prompt, draw the next character from the softmax of the
// last position's logits (divided by a temperature), append, repeat. The transformer re-reads its last
// `context` characters each time; the LSTM carries its state and reads one character per step.
import { dispose, div, selectdim, softmax, tidy } from "@flux/kernels";
/** @import { Rng, Tensor } from "@flux/kernels" */

/**
 * Draws an index from probabilities `p` with `rng`.
 *
 * @param {ArrayLike<number>} p @param {Rng} rng
 */
function draw(p, rng) {
  let u = rng.uniform();
  for (let i = 0; i < p.length; i++) {
    u -= p[i];
    if (u <= 0) return i;
  }
  return p.length - 1;
}

/**
 * `length` new token ids after `prompt` (token ids).
 *
 * @param {{ forward(ids: Int32Array, time: number): Tensor, forwardWithState?: Function }} model
 * @param {Int32Array} prompt
 * @param {{ length: number, context: number, temperature: number, rng: Rng }} o
 */
export async function generate(model, prompt, { length, context, temperature, rng }) {
  const out = [...prompt];
  if (typeof model.forwardWithState === "function") {
    // LSTM: run the prompt once, then one character at a time with the carried state.
    let [logits, state] = model.forwardWithState(prompt, prompt.length);
    for (let i = 0; i < length; i++) {
      const last = logits.shape[1] - 1;
      const p = tidy(() => softmax(div(selectdim(logits, 2, last), temperature)));
      const next = draw(await p.data(), rng);
      dispose([p, logits]);
      out.push(next);
      const [l2, s2] = model.forwardWithState(Int32Array.of(next), 1, state);
      dispose(state);
      logits = l2;
      state = s2;
    }
    dispose([logits, state]);
    return Int32Array.from(out.slice(prompt.length));
  }
  for (let i = 0; i < length; i++) {
    const window = Int32Array.from(out.slice(-context));
    const p = tidy(() => {
      const logits = model.forward(window, window.length);
      return softmax(div(selectdim(logits, 2, window.length - 1), temperature));
    });
    out.push(draw(await p.data(), rng));
    dispose(p);
  }
  return Int32Array.from(out.slice(prompt.length));
}
