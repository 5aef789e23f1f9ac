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
  const text = readFileSync(path, "utf8");
  if (text.length < 1000)
    throw new Error(`[demo] ${path} holds ${text.length} characters; the text job needs a real corpus.`);
  const chars = [...new Set(text)].sort();
  const index = new Map(chars.map((c, i) => [c, i]));
  const tokens = encode(text, index);
  const cut = Math.floor(tokens.length * trainFraction);
  return { chars, index, train: tokens.subarray(0, cut), val: tokens.subarray(cut) };
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
