// Named errors of @flux/layers. Each has a stable `code` so callers can branch without parsing messages.

/**
 * The base class of every error thrown by @flux/layers; `code` is stable across versions.
 *
 * Messages start with `[@flux/layers]`, say what was tried and what to do next.
 *
 * @example
 * try { Dense(2, 3).forward(x) } catch (e) { if (e instanceof LayersError) console.log(e.code); }
 */
export class LayersError extends Error {
  /** A stable machine-readable code, e.g. `"ERR_LAYER_INPUT"`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[@flux/layers] ${message}`, options);
    this.name = "LayersError";
    this.code = code;
  }
}

/**
 * An input whose shape or type a layer cannot take (Flux throws `DimensionMismatch` there).
 *
 * @example
 * Dense(2, 3).forward(zeros([4, 1])); // LayerInputError: Dense(2 => 3) expects size(input, 1) == 2 ...
 */
export class LayerInputError extends LayersError {
  constructor(message: string) {
    super("ERR_LAYER_INPUT", message);
    this.name = "LayerInputError";
  }
}

/**
 * A bad argument to a layer constructor or loss (Flux's `ArgumentError`).
 *
 * @example
 * Dropout(1.5); // LayerArgumentError: Dropout expects 0 <= p <= 1, got p = 1.5
 */
export class LayerArgumentError extends LayersError {
  constructor(message: string) {
    super("ERR_LAYER_ARGUMENT", message);
    this.name = "LayerArgumentError";
  }
}

/**
 * `loadmodel` found a source that does not fit the destination model; `path` names where.
 *
 * @example
 * loadmodel(Dense(2, 3), state(Dense(3, 3))); // LoadModelError at "weight": size [3, 3] into [3, 2]
 */
export class LoadModelError extends LayersError {
  /** The key path (joined with ".") where the mismatch is. */
  readonly path: string;
  constructor(code: string, path: string, message: string) {
    super(code, `loadmodel: at ${path === "" ? "the top level" : `"${path}"`}: ${message}`);
    this.name = "LoadModelError";
    this.path = path;
  }
}

/**
 * A safetensors file (or byte buffer) that is malformed, truncated, or does not fit the model. Nothing in
 * the model has been changed when this is thrown.
 *
 * @example
 * await loadBytes(new Uint8Array(3), model); // SafetensorsError ERR_SAFETENSORS_TRUNCATED
 */
export class SafetensorsError extends LayersError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, `safetensors: ${message}`, options);
    this.name = "SafetensorsError";
  }
}
