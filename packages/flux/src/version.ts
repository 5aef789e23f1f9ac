/**
 * The version of the umbrella package `@flux/flux`.
 *
 * Every `@flux/*` package exports its own `VERSION`; through the umbrella the name means the umbrella's
 * version, which is the version of the fixed release group (changesets keeps all packages in step).
 *
 * @example
 * import { VERSION } from "@flux/flux";
 * console.log(VERSION); // "0.1.0"
 */
export const VERSION = "0.1.0";
