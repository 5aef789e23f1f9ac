// Reading and updating `flux.config.json` without ever losing it. The file may hold a team's own keys, may
// be edited by hand (and be broken), and may be written by two processes at once. So:
// - reads are lazy (never at import time), of regular files only (a FIFO would block, a symlink to
//   /dev/zero would never end), opened non-blocking and capped at 1 MiB;
// - an update never deletes or overwrites a file it cannot parse: it throws `PreferencesFileError` naming
//   the file, the line and the column; unknown keys are kept;
// - an update is a read-modify-write under a lock file (`flux.config.json.lock`, created exclusively; a lock
//   whose process is gone, or that is older than 10 s, is taken over), and the new content is written with
//   kernels' `writeFileAtomicSync` (temporary file, fsync, rename), so a reader or a killed writer sees the
//   old content or the new, never a mix or nothing.
import { writeFileAtomicSync } from "@flux/kernels";
import { PreferencesFileError } from "./errors.js";

/** Files larger than this are refused (a preference file is a few bytes). */
const MAX_PREFERENCES_BYTES = 1024 * 1024;
/** How long an update waits for another process's lock before giving up. */
const LOCK_TIMEOUT_MS = 5000;
/** A lock older than this is abandoned (its writer died without removing it). */
const STALE_LOCK_MS = 10_000;

/** The subset of `node:fs` the preference file needs. */
export interface PrefsFs {
  statSync(path: string): { isFile(): boolean; size: number; mtimeMs: number };
  openSync(path: string, flags: number | string, mode?: number): number;
  fstatSync(fd: number): { isFile(): boolean; size: number };
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  writeSync(fd: number, data: string): number;
  closeSync(fd: number): void;
  unlinkSync(path: string): void;
  readFileSync(path: string, encoding: "utf8"): string;
  existsSync(path: string): boolean;
  constants?: { O_RDONLY?: number; O_NONBLOCK?: number };
}

/** What a read found. */
export type PreferencesRead =
  | { readonly status: "missing" }
  | { readonly status: "ok"; readonly data: Record<string, unknown>; readonly text: string }
  | { readonly status: "invalid"; readonly error: PreferencesFileError }
  | { readonly status: "unreadable"; readonly reason: string };

function isEnoent(e: unknown): boolean {
  return (e as { code?: string })?.code === "ENOENT";
}

/**
 * Reads `path` safely: `missing`, `ok` (a JSON object), `invalid` (not a regular file, too large, not JSON,
 * not an object: the error names the file and, for JSON, the line and column) or `unreadable` (permissions,
 * I/O). Never throws, never blocks on a FIFO, never reads more than 1 MiB.
 */
export function readPreferencesFile(fs: PrefsFs, path: string): PreferencesRead {
  let st: { isFile(): boolean; size: number };
  try {
    st = fs.statSync(path);
  } catch (e) {
    return isEnoent(e) ? { status: "missing" } : { status: "unreadable", reason: messageOf(e) };
  }
  if (!st.isFile()) return invalid(path, "it is not a regular file (a FIFO, a device or a folder)");
  if (st.size > MAX_PREFERENCES_BYTES) return invalid(path, tooLarge(st.size));
  let text: string;
  try {
    text = readCapped(fs, path);
  } catch (e) {
    if (e instanceof PreferencesFileError) return { status: "invalid", error: e };
    return isEnoent(e) ? { status: "missing" } : { status: "unreadable", reason: messageOf(e) };
  }
  return parsePreferences(path, text);
}

/**
 * Parses the text of a preference file: a JSON object, or an `invalid` result whose error gives the line
 * and column of the first problem.
 */
function parsePreferences(path: string, text: string): PreferencesRead {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a byte-order mark is not an error
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    const m = /position (\d+)/.exec(messageOf(e));
    const pos = m ? Number(m[1]) : body.length;
    const before = body.slice(0, pos).split("\n");
    const line = before.length;
    const column = before[before.length - 1]!.length + 1;
    const what = messageOf(e)
      .replace(/\s*\(line \d+ column \d+\)/, "")
      .replace(/ in JSON at position \d+/, "");
    return {
      status: "invalid",
      error: new PreferencesFileError(
        path,
        `it is not valid JSON at line ${line}, column ${column} (${what})`,
        {
          line,
          column,
        },
      ),
    };
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return invalid(
      path,
      `it holds ${Array.isArray(json) ? "an array" : JSON.stringify(json)}, not a JSON object`,
    );
  }
  return { status: "ok", data: json as Record<string, unknown>, text };
}

/**
 * Applies `change` to the object in `path` and writes the result atomically, under the lock. `change` gets
 * a copy (unknown keys included) and returns the new object, or `null` to remove the file. Throws
 * `PreferencesFileError` (the file is left untouched) when the file exists but cannot be parsed; throws the
 * I/O error when it cannot be written.
 */
export function updatePreferencesFile(
  fs: PrefsFs,
  path: string,
  change: (current: Record<string, unknown>) => Record<string, unknown> | null,
): void {
  withLock(fs, `${path}.lock`, () => {
    const r = readPreferencesFile(fs, path);
    if (r.status === "invalid") throw r.error;
    if (r.status === "unreadable") throw new Error(`${path} cannot be read (${r.reason})`);
    const next = change(r.status === "ok" ? { ...r.data } : {});
    if (next === null) {
      if (r.status === "ok") fs.unlinkSync(path);
      return;
    }
    writeFileAtomicSync(path, `${JSON.stringify(next, null, 2)}\n`);
  });
}

function withLock(fs: PrefsFs, lock: string, body: () => void): void {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(lock, "wx", 0o644);
    } catch (e) {
      if ((e as { code?: string })?.code !== "EEXIST") throw e;
    }
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, String(processId()));
      } finally {
        fs.closeSync(fd);
      }
      try {
        body();
      } finally {
        try {
          fs.unlinkSync(lock);
        } catch {}
      }
      return;
    }
    if (isStale(fs, lock)) {
      try {
        fs.unlinkSync(lock);
      } catch {}
      continue;
    }
    if (Date.now() > deadline) {
      throw new PreferencesFileError(
        lock.slice(0, -".lock".length),
        `another process has held its lock (${lock}) for ${LOCK_TIMEOUT_MS / 1000} s; if no other process is ` +
          "writing it, delete the lock file",
      );
    }
    sleep(Math.min(50, 2 + attempt * 3));
  }
}

/** A lock whose writer is gone (its pid no longer exists on this machine) or that is too old. */
function isStale(fs: PrefsFs, lock: string): boolean {
  let owner: number;
  let age: number;
  try {
    owner = Number(fs.readFileSync(lock, "utf8"));
    age = Date.now() - fs.statSync(lock).mtimeMs;
  } catch {
    return false; // gone already (the next attempt takes it), or unreadable: wait
  }
  if (age > STALE_LOCK_MS) return true;
  if (!Number.isInteger(owner) || owner <= 0) return age > 1000; // being written: give it a moment
  const p = (globalThis as { process?: { kill?(pid: number, signal: number): void } }).process;
  if (p?.kill === undefined) return false;
  try {
    p.kill(owner, 0);
    return false;
  } catch (e) {
    return (e as { code?: string })?.code === "ESRCH";
  }
}

function processId(): number {
  return (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
}

// A synchronous pause (the preference API is synchronous underneath): Atomics.wait works on Node, Bun and
// Deno main threads. Made on first use, never at import: a browser page that is not cross-origin isolated
// has no SharedArrayBuffer (and never writes this file anyway).
let pause: Int32Array | undefined;
function sleep(ms: number): void {
  if (typeof SharedArrayBuffer === "undefined") {
    const until = Date.now() + ms;
    while (Date.now() < until) {}
    return;
  }
  pause ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(pause, 0, 0, ms);
}

function readCapped(fs: PrefsFs, path: string): string {
  // Non-blocking, so that a FIFO swapped in after the stat cannot hang the open; fstat checks what opened.
  const flags = (fs.constants?.O_RDONLY ?? 0) | (fs.constants?.O_NONBLOCK ?? 0);
  const fd = fs.openSync(path, fs.constants?.O_NONBLOCK === undefined ? "r" : flags);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile())
      throw new PreferencesFileError(path, "it is not a regular file (a FIFO, a device or a folder)");
    // Sized from fstat, grown if the file grows while read, never past the cap.
    let buf = new Uint8Array(Math.min(Math.max(st.size + 1, 4096), MAX_PREFERENCES_BYTES + 1));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        const bigger = new Uint8Array(Math.min(buf.length * 2, MAX_PREFERENCES_BYTES + 1));
        bigger.set(buf);
        buf = bigger;
      }
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > MAX_PREFERENCES_BYTES) throw new PreferencesFileError(path, tooLarge(n));
    }
    return new TextDecoder().decode(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(bytes: number): string {
  return `it is larger than ${MAX_PREFERENCES_BYTES / (1024 * 1024)} MiB (${bytes} bytes), too large for a preference file`;
}

function invalid(path: string, why: string): PreferencesRead {
  return { status: "invalid", error: new PreferencesFileError(path, why) };
}

function messageOf(e: unknown): string {
  return (e as Error)?.message ?? String(e);
}
