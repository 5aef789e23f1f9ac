// Saving and reloading the trained model: safetensors through @flux/layers' `save`/`load` (weights only;
// the architecture is code, as in Flux: build a fresh model, then load the state into it).
import { load, save } from "@flux/layers";

/**
 * Writes `model` to `path` as safetensors, then loads the file into `fresh` (a newly built model of the
 * same architecture) and returns it.
 *
 * @example
 * const reloaded = await saveAndReload(model, buildModel("mlp", 99).model, "out/model.safetensors");
 *
 * @template M
 * @param {unknown} model
 * @param {M} fresh
 * @param {string} path
 * @returns {Promise<M>}
 */
export async function saveAndReload(model, fresh, path) {
  await save(path, model);
  return await load(path, fresh);
}
