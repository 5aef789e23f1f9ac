// The character-level corpus: the text, its alphabet (sorted distinct characters, one token each) and
// the usual 90% / 10% train / validation split of the token stream.
import { readFileSync } from "node:fs";

/**
 * @typedef {{ chars: string[], index: Map<string, number>, train: Int32Array, val: Int32Array }} Corpus
 */

/**
 * Reads `path` and tokenises it by character.
 *
 * @example
 * const c = loadCorpus("apps/demo/data/tinyshakespeare/input.txt"); c.chars.length; // 65
 *
 * @param {string} path
 * @param {number} [trainFraction]
 * @returns {Corpus}
 */
export function loadCorpus(path, trainFraction = 0.9) {
  const text = readText(path);
  if (text.length < 1000)
    throw new Error(`[demo] ${path} holds ${text.length} characters; the text job needs a real corpus.`);
  const chars = [...new Set(text)].sort();
  const index = new Map(chars.map((c, i) => [c, i]));
  const tokens = encode(text, index);
  const cut = Math.floor(tokens.length * trainFraction);
  return { chars, index, train: tokens.subarray(0, cut), val: tokens.subarray(cut) };
}

/**
 * The file as UTF-8 text. A missing file or a folder names the path and the `--data` option; bytes that are
 * not UTF-8 (a binary or damaged file) are refused, where `readFileSync(path, "utf8")` would turn them into
 * U+FFFD characters and the job would train on them.
 *
 * @param {string} path
 * @returns {string}
 */
export function readText(path) {
  let bytes;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = /** @type {{ code?: string }} */ (e).code ?? "error";
    throw new Error(
      `[demo] cannot read the text ${path} (${code}${code === "EISDIR" ? ": it is a folder" : ""}). Pass a text file with --data FILE; the default is apps/demo/data/tinyshakespeare/input.txt.`,
      { cause: e },
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    throw new Error(
      `[demo] ${path} is not UTF-8 text (a binary or damaged file?); the text job reads plain text.`,
      { cause: e },
    );
  }
}

/**
 * Text to token ids (0-based); unknown characters are an error naming them.
 *
 * @param {string} text
 * @param {Map<string, number>} index
 */
export function encode(text, index) {
  const out = new Int32Array(text.length);
  let i = 0;
  for (const ch of text) {
    const id = index.get(ch);
    if (id === undefined)
      throw new Error(`[demo] the character ${JSON.stringify(ch)} is not in the alphabet.`);
    out[i++] = id;
  }
  return out.subarray(0, i);
}

/**
 * The token ids of the sampling prompt, or an error naming the characters the text lacks (a text of
 * your own may have no capitals, no colon...).
 *
 * @param {string} prompt
 * @param {{ index: Map<string, number>, chars: string[] }} corpus
 */
export function promptTokens(prompt, corpus) {
  const missing = [...new Set(prompt)].filter((c) => !corpus.index.has(c));
  if (missing.length > 0)
    throw new Error(
      `[demo] the sampling prompt ${JSON.stringify(prompt)} uses ${missing.map((c) => JSON.stringify(c)).join(", ")}, which the text does not contain; use a text with these characters.`,
    );
  return encode(prompt, corpus.index);
}

/**
 * Token ids back to text.
 *
 * @param {ArrayLike<number>} ids
 * @param {readonly string[]} chars
 */
export function decode(ids, chars) {
  let s = "";
  for (let i = 0; i < ids.length; i++) s += chars[ids[i]];
  return s;
}
