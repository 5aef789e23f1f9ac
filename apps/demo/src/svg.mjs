// Tiny helpers for writing SVG by hand (no dependency): escaping and number formatting.

/**
 * Escapes text for SVG/XML content and attribute values.
 * @param {unknown} text
 * @returns {string}
 */
export function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A coordinate with at most two decimals (keeps the files small and diffable).
 * @param {number} x
 * @returns {string}
 */
export function num(x) {
  return String(Math.round(x * 100) / 100);
}
