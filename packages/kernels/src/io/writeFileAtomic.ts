// Crash-safe file writes, shared by every @flux package that writes a file (model files, checkpoints,
// preferences, demo outputs). The bytes go to a temporary file in the same folder, are flushed to disk,
// and the temporary file is renamed over the target: a rename within one file system is atomic, so a
// reader (or a process killed part way, or a full disk) sees the old content or the new, never a mix
// or nothing. `node:fs` is imported only when these are called, so the package still loads in browsers.

import { ArgumentError } from "../errors.js";

// The module names sit in variables so that browser bundlers do not try to resolve Node built-ins.
const FS_PROMISES = "node:fs/promises";
const FS = "node:fs";
const PATH = "node:path";

type FsPromises = typeof import("node:fs/promises");
type Fs = typeof import("node:fs");
type Path = typeof import("node:path");

function builtin<T>(name: string): T | undefined {
  // Node >= 20.16, Bun and Deno expose their built-ins synchronously here.
  return (
    globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }
  ).process?.getBuiltinModule?.(name) as T | undefined;
}

/** A temporary name beside `path`: same folder (so rename stays on one file system), hidden, unique. */
function temporaryPath(path: Path, target: string): string {
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  return path.join(path.dirname(target), `.${path.basename(target)}.${pid}.${unique}.tmp`);
}

/** Refuses a target that is not a non-empty string (path.dirname would throw a bare TypeError, "" ENOENT). */
function checkTarget(target: unknown, fn: string): void {
  if (typeof target !== "string" || target === "")
    throw new ArgumentError(
      `${fn}: the target must be a non-empty file path, got ${target === "" ? "an empty string" : typeof target}.`,
    );
}

function encode(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

/**
 * Writes `data` to `target` atomically: a temporary file in the same folder is written, flushed and
 * renamed over `target`. If anything fails (disk full, file-size limit, a killed process), `target` keeps
 * its old content and the temporary file is removed where possible. An existing file's permission bits
 * are kept, and a symbolic link is written through: the file it points to gets the new content and the
 * link stays a link.
 *
 * @example
 * await writeFileAtomic("model.safetensors", bytes);
 */
export async function writeFileAtomic(given: string, data: Uint8Array | string): Promise<void> {
  checkTarget(given, "writeFileAtomic");
  const fs: FsPromises = await import(/* @vite-ignore */ FS_PROMISES);
  const path: Path = await import(/* @vite-ignore */ PATH);
  // Through a symbolic link to the file it names (renaming over the link would replace the link itself).
  const target = await fs.realpath(given).catch(() => given);
  const tmp = temporaryPath(path, target);
  const mode = await fs.stat(target).then(
    (s) => s.mode & 0o777,
    () => undefined,
  );
  let handle: Awaited<ReturnType<FsPromises["open"]>> | undefined;
  try {
    handle = await fs.open(tmp, "wx", mode ?? 0o666);
    await handle.writeFile(encode(data));
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => {});
    await fs.unlink(tmp).catch(() => {});
    throw explained(err, given, path.dirname(target));
  }
  await syncFolder(fs, path.dirname(target));
}

/** The synchronous form of {@link writeFileAtomic}, for code that must not await (preferences). */
export function writeFileAtomicSync(given: string, data: Uint8Array | string): void {
  checkTarget(given, "writeFileAtomicSync");
  const fs = builtin<Fs>(FS);
  const path = builtin<Path>(PATH);
  if (fs === undefined || path === undefined)
    throw new Error("writeFileAtomicSync needs node:fs (Node >= 20.16, Bun or Deno)");
  let target = given;
  try {
    target = fs.realpathSync(given);
  } catch {}
  const tmp = temporaryPath(path, target);
  let mode: number | undefined;
  try {
    mode = fs.statSync(target).mode & 0o777;
  } catch {
    mode = undefined;
  }
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, "wx", mode ?? 0o666);
    fs.writeFileSync(fd, encode(data));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {}
    }
    try {
      fs.unlinkSync(tmp);
    } catch {}
    throw explained(err, given, path.dirname(target));
  }
  try {
    const dir = fs.openSync(path.dirname(target), "r");
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Some platforms (Windows) cannot open or fsync a folder; the rename itself is still atomic.
  }
}

/**
 * The runtime's own error (its class, `code` and `errno` kept, for callers that branch on them), with a
 * sentence added that names the file the caller asked for: the message otherwise names only the hidden
 * temporary file, which the caller never heard of. The usual causes get their fix.
 */
function explained(err: unknown, target: string, dir: string): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  const why =
    code === "ENOENT"
      ? `the folder "${dir}" does not exist; create it first (mkdir -p, or fs.mkdir(dir, { recursive: true }))`
      : code === "EACCES" || code === "EPERM" || code === "EROFS"
        ? `this process may not write in "${dir}"`
        : err.name === "NotCapable" || err.name === "PermissionDenied"
          ? "on Deno, saving needs --allow-read and --allow-write (the temporary file is renamed over the target)"
          : "the old file, if any, is unchanged";
  err.message = `${err.message}. Saving "${target}" failed: ${why}.`;
  return err;
}

/** Flushes the folder entry so the rename itself survives a power loss (best effort). */
async function syncFolder(fs: FsPromises, dir: string): Promise<void> {
  try {
    const h = await fs.open(dir, "r");
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or fsync a folder; the rename itself is still atomic.
  }
}
