// File-system failures of save/load/saveCheckpoint/loadCheckpoint as one named error. The raw errors name
// a hidden temporary file (the atomic write's) or only an errno; this one names the file asked for, what
// the system said, and what to do. The original error is the `cause` (its `code`, e.g. "ENOENT").
import { SafetensorsError } from "../errors.js";

const ADVICE: Readonly<Record<string, string>> = {
  ENOENT: "the file or its folder does not exist; check the path (folders are not created for you)",
  ENOTDIR: "a part of the path is a file, not a folder; check the path",
  EISDIR: "the path is a folder; give a file name inside it",
  EACCES: "permission denied; choose a folder you may write to, or fix its permissions",
  EPERM: "the operation is not permitted; choose another location or fix its permissions",
  EROFS: "the file system is read-only; choose another location",
  ENOSPC: "the disk is full; free some space",
  EDQUOT: "the disk quota is exceeded; free some space",
  EFBIG: "the file is larger than this system allows",
  ENAMETOOLONG: "the path is too long",
};

/** Throws `SafetensorsError` (`ERR_SAFETENSORS_PATH`) unless `path` is a non-empty string. */
export function checkPath(path: unknown, fn: string): asserts path is string {
  if (typeof path !== "string" || path === "")
    throw new SafetensorsError(
      "ERR_SAFETENSORS_PATH",
      `${fn}: the path must be a non-empty string, got ${
        path === "" ? "an empty string" : typeof path === "string" ? path : typeof path
      }. Pass the file name, e.g. "model.safetensors".`,
    );
}

/**
 * Runs a file-system step and turns an error with an errno `code` into `SafetensorsError`
 * (`ERR_SAFETENSORS_FILE`) naming `path`; other errors (ours) pass through.
 */
export async function withFileErrors<T>(
  fn: string,
  verb: "write" | "read",
  path: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) throw e;
    const what = ADVICE[code] ?? (e as Error).message;
    const kept = verb === "write" ? " Any existing file there is unchanged." : "";
    throw new SafetensorsError(
      "ERR_SAFETENSORS_FILE",
      `${fn}: cannot ${verb} "${path}" (${code}): ${what}.${kept}`,
      { cause: e },
    );
  }
}
