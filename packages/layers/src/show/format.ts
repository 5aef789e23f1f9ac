// Number and size formatting as Julia prints them in Flux's model summaries.

/** Flux's `underscorise`: digits grouped by three with underscores (`5_130`). */
export function underscorise(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "_");
}

const UNITS = ["byte", "KiB", "MiB", "GiB", "TiB", "PiB"];

/**
 * Julia's `Base.format_bytes`: `"316 bytes"`, `"1 byte"`, `"3.004 KiB"` (three decimals above 1024).
 *
 * @example
 * formatBytes(3076); // "3.004 KiB"
 */
export function formatBytes(bytes: number): string {
  // Julia picks unit = ceil(log(bytes) / log(1024)): the smallest u with 1024^u >= bytes.
  let unit = 1;
  if (bytes > 1) {
    while (unit < UNITS.length && 1024 ** unit < bytes) unit++;
  }
  if (unit === 1) return `${bytes} ${UNITS[0]}${bytes === 1 ? "" : "s"}`;
  return `${(bytes / 1024 ** (unit - 1)).toFixed(3)} ${UNITS[unit - 1]}`;
}

/**
 * Julia's `_maybetuple_string`: one number when all entries agree, else a tuple `(1, 2)`.
 */
export function maybeTupleString(x: number | readonly number[]): string {
  if (typeof x === "number") return String(x);
  return x.every((v) => v === x[0]) ? String(x[0]) : tupleString(x);
}

/** A Julia tuple: `(3, 3)`, `(3,)` for one element. @example tupleString([3, 3]); // "(3, 3)" */
export function tupleString(x: readonly number[]): string {
  return x.length === 1 ? `(${x[0]},)` : `(${x.join(", ")})`;
}
