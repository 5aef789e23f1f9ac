// The one way every @flux package reads an environment variable. Reading the environment must never need a
// permission the user did not grant: Deno without `--allow-env` (or with `--allow-env=OTHER`) throws
// `NotCapable` from `Deno.env.get` and from Node's `process.env` shim, so Deno is asked first, with
// `Deno.permissions.querySync`, which answers without prompting; a runtime without an environment (browsers,
// workers) reads as unset.

interface DenoLike {
  env?: { get(name: string): string | undefined };
  permissions?: { querySync?(desc: { name: "env"; variable: string }): { state: string } };
}

/**
 * The value of environment variable `name`, or `undefined` when it is unset, empty, or cannot be read
 * without a permission that was not granted (Deno without `--allow-env`), or when the runtime has no
 * environment (browsers). Never throws and never prompts.
 *
 * @example
 * readEnv("FLUX_DEBUG_LEAKS"); // "1", or undefined (also under `deno run` without --allow-env)
 */
export function readEnv(name: string): string | undefined {
  const g = globalThis as { Deno?: DenoLike; process?: { env?: Record<string, string | undefined> } };
  let value: string | undefined;
  try {
    const deno = g.Deno;
    if (deno !== undefined) {
      const query = deno.permissions?.querySync;
      if (
        query !== undefined &&
        query.call(deno.permissions, { name: "env", variable: name }).state !== "granted"
      )
        return undefined;
      value = deno.env?.get(name);
    } else value = g.process?.env?.[name];
  } catch {
    return undefined; // e.g. Deno's NotCapable where querySync is missing, or a hostile env object
  }
  return typeof value === "string" && value !== "" ? value : undefined;
}
