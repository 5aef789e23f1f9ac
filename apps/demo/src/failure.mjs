// What the demo prints when it stops on an error. The packages' named errors (a class with a stable string
// `code`, e.g. @flux/data's DatasetNotFoundError for a wrong --data folder) already say what was wrong and
// what to do, so they get one line; a stack trace is kept for anything else, which is a bug to report.

/**
 * The text the demo writes to stderr for `e`.
 *
 * @param {unknown} e
 * @returns {string}
 */
export function failureText(e) {
  if (
    e instanceof Error &&
    typeof (/** @type {{ code?: unknown }} */ (e).code) === "string" &&
    e.name !== "Error"
  )
    return `demo: ${e.name}: ${e.message}\n`;
  return `${e instanceof Error ? (e.stack ?? e) : e}\n`;
}
