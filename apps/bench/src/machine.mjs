// What the numbers were measured on: printed in the table header and stored in latest.json.

import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";

/**
 * The machine and runtime: CPU model, logical cores, memory, Node version, the git commit measured, and the
 * 1-minute load average at the start (other work on a shared 2-core machine skews every number).
 *
 * @param {string} repoRoot where to ask git for the commit
 * @returns {{ cpu: string, cores: number, memGiB: number, node: string, platform: string, commit: string, load1: number }}
 * @example machineInfo(process.cwd()).cores
 */
export function machineInfo(repoRoot) {
  const list = cpus();
  let commit = "unknown";
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: repoRoot,
      encoding: "utf8",
    }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "packages/kernels"], {
      cwd: repoRoot,
      encoding: "utf8",
    }).trim();
    commit = dirty ? `${sha} (+ uncommitted changes in packages/kernels)` : sha;
  } catch {
    // not a git checkout (e.g. an unpacked tarball): the commit stays unknown
  }
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    commit,
    load1: Math.round(loadavg()[0] * 100) / 100,
  };
}
