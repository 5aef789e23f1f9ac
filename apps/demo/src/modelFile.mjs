// Saving and reloading the trained model: safetensors through @flux/layers' `save`/`load` (weights only;
// the architecture is code, as in Flux: build a fresh model, then load the state into it).
import * as layers from "@flux/layers";

/** True when @flux/layers provides safetensors `save` and `load`. */
export const canSaveModels = typeof layers.save === "function" && typeof layers.load === "function";

/**
 * Writes `model` to `path` as safetensors, then loads the file into `fresh` (a newly built model of the
 * same architecture) and returns it.
 *
 * @example
 * const reloaded = await saveAndReload(model, buildModel("mlp", 99).model, "out/model.safetensors");
 */
export async function saveAndReload(model, fresh, path) {
  await layers.save(path, model);
  return await layers.load(path, fresh);
}
