// Saving and reloading the trained model: safetensors through @flux/layers' `saveBytes`/`load` (weights
// only; the architecture is code, as in Flux: build a fresh model, then load the state into it). The file
// is written atomically (`writeFileAtomic`): an interrupted run never leaves half a model file.
import { writeFileAtomic } from "@flux/kernels";
import { load, saveBytes } from "@flux/layers";

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
  await writeFileAtomic(path, await saveBytes(model));
  return await load(path, fresh);
}
