// A strict safetensors reader: everything is validated before anything is returned. Nothing in the file
// is executed; the header is JSON and the data is raw little-endian bytes.
import { SafetensorsError } from "../../errors.js";
import { fileDTypeBytes } from "./dtypes.js";

/** One tensor entry of a safetensors file. */
export interface SafetensorsEntry {
  readonly dtype: string;
  /** Row-major shape, as written in the file. */
  readonly shape: readonly number[];
  /** The entry's bytes (a view into the input). */
  readonly bytes: Uint8Array;
}

/** A parsed file: entries by name, and the `__metadata__` strings. */
export interface SafetensorsFile {
  readonly tensors: ReadonlyMap<string, SafetensorsEntry>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The largest header accepted (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

function fail(code: string, message: string, cause?: unknown): never {
  throw new SafetensorsError(code, message, cause === undefined ? undefined : { cause });
}

function isCount(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Parses and validates safetensors bytes: header length in bounds, UTF-8 JSON object without duplicate
 * keys, known dtypes, shapes of non-negative integers, byte ranges matching shape × dtype, ranges inside
 * the data, not overlapping and covering it exactly. Throws `SafetensorsError` (with a stable `code`) otherwise.
 *
 * @example
 * const file = parseSafetensors(bytes);
 * file.tensors.get("layers.0.weight")?.shape; // [5, 10]
 */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (!(bytes instanceof Uint8Array))
    fail("ERR_SAFETENSORS_INPUT", `expected a Uint8Array, got ${typeof bytes}.`);
  if (bytes.length < 8)
    fail(
      "ERR_SAFETENSORS_TRUNCATED",
      `the input has ${bytes.length} bytes; a file has at least 8 (the header length).`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n < 2 || n > MAX_HEADER_BYTES || n > bytes.length - 8) {
    fail(
      "ERR_SAFETENSORS_HEADER_LENGTH",
      `the header length field says ${n} bytes, but the input has ${bytes.length - 8} bytes after it (limit ${MAX_HEADER_BYTES}). The file is truncated or not a safetensors file.`,
    );
  }
  let header: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
    if (!text.startsWith("{")) fail("ERR_SAFETENSORS_HEADER", "the header does not start with '{'.");
    header = JSON.parse(text);
    checkDuplicateKeys(text);
  } catch (e) {
    if (e instanceof SafetensorsError) throw e;
    fail("ERR_SAFETENSORS_HEADER", `the header is not valid UTF-8 JSON (${(e as Error).message}).`, e);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    fail("ERR_SAFETENSORS_HEADER", "the header must be a JSON object.");
  }
  const data = bytes.subarray(8 + n);
  const tensors = new Map<string, SafetensorsEntry>();
  const ranges: [number, number, string][] = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = checkMetadata(raw);
      continue;
    }
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (entry === null || typeof entry !== "object" || Array.isArray(entry))
      fail("ERR_SAFETENSORS_TENSOR", `entry "${name}" is not an object.`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (typeof dtype !== "string" || fileDTypeBytes(dtype) === undefined) {
      fail("ERR_SAFETENSORS_DTYPE", `entry "${name}" has unknown dtype ${JSON.stringify(dtype)}.`);
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      fail(
        "ERR_SAFETENSORS_TENSOR",
        `entry "${name}" has shape ${JSON.stringify(shape)}; expected an array of non-negative integers.`,
      );
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every(isCount) ||
      offsets[0] > offsets[1]
    ) {
      fail(
        "ERR_SAFETENSORS_OFFSETS",
        `entry "${name}" has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end.`,
      );
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const expected = count * fileDTypeBytes(dtype as string)!;
    if (end - begin !== expected) {
      fail(
        "ERR_SAFETENSORS_TENSOR",
        `entry "${name}" spans ${end - begin} bytes, but ${dtype} [${(shape as number[]).join(", ")}] needs ${expected}.`,
      );
    }
    if (end > data.length) {
      fail(
        "ERR_SAFETENSORS_TRUNCATED",
        `entry "${name}" ends at byte ${end} of the data, which has only ${data.length} bytes.`,
      );
    }
    ranges.push([begin, end, name]);
    tensors.set(name, { dtype, shape: shape as number[], bytes: data.subarray(begin, end) });
  }
  checkCoverage(ranges, data.length);
  return { tensors, metadata };
}

// JSON.parse keeps the last of two equal keys, other readers the first: a header naming a tensor (or a
// field of one) twice means different things to different tools, so it is refused. `text` is valid JSON.
function checkDuplicateKeys(text: string): void {
  // One Set of keys seen per open object, null per open array.
  const open: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) open.push(new Set());
    else if (c === 0x5b /* [ */) open.push(null);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) open.pop();
    else if (c === 0x22 /* " */) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      const keys = open[open.length - 1];
      if (keys === null || keys === undefined) continue;
      let j = i + 1;
      while (j < text.length && (text[j] === " " || text[j] === "\n" || text[j] === "\r" || text[j] === "\t"))
        j++;
      if (text[j] !== ":") continue; // a string value, not a key
      const raw = text.slice(start + 1, i);
      const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
      if (keys.has(key)) {
        fail(
          "ERR_SAFETENSORS_HEADER",
          `the header has the key ${JSON.stringify(key)} twice${open.length > 1 ? " inside one entry" : ""}; readers disagree on which one counts, so the file is refused. Write each name once.`,
        );
      }
      keys.add(key);
    }
  }
}

function checkMetadata(raw: unknown): Record<string, string> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    fail("ERR_SAFETENSORS_HEADER", "__metadata__ must be an object of strings.");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== "string") fail("ERR_SAFETENSORS_HEADER", `__metadata__.${k} must be a string.`);
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// The data buffer must be exactly the concatenation of the entries: no overlap, no hole, nothing after.
function checkCoverage(ranges: [number, number, string][], length: number): void {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = 0;
  for (const [begin, end, name] of ranges) {
    if (begin < at)
      fail(
        "ERR_SAFETENSORS_OFFSETS",
        `entry "${name}" [${begin}, ${end}) overlaps the previous entry (which ends at ${at}).`,
      );
    if (begin > at)
      fail(
        "ERR_SAFETENSORS_OFFSETS",
        `bytes [${at}, ${begin}) of the data belong to no entry (before "${name}").`,
      );
    at = end;
  }
  if (at !== length)
    fail("ERR_SAFETENSORS_OFFSETS", `the entries cover ${at} bytes of data, but it has ${length}.`);
}
