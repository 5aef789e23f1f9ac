// Process helpers shared by the repository scripts (test-all, pack-check, demo, bench).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root (this file is tooling/scripts/lib/exec.mjs). */
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** Path of a tool installed in the root node_modules/.bin (bun, deno, turbo, ...), or the bare name. */
export function bin(name) {
  const local = join(repoRoot, "node_modules", ".bin", name);
  return existsSync(local) ? local : name;
}

/**
 * The environment for child processes: `npm_*` variables that `npm run` sets are dropped (a nested npm
 * would otherwise inherit `npm_config_local_prefix` and install into this repository), except the ones a
 * user sets on purpose; node_modules/.bin goes first on PATH; turbo telemetry stays off.
 */
export function childEnv(extra = {}) {
  const keep = new Set(["npm_config_registry", "npm_config_cache", "npm_config_userconfig"]);
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("npm_") || keep.has(k)) env[k] = v;
  return {
    ...env,
    TURBO_TELEMETRY_DISABLED: "1",
    PATH: [join(repoRoot, "node_modules", ".bin"), process.env.PATH].join(delimiter),
    ...extra,
  };
}

/**
 * Runs a command, collecting stdout and stderr together. Never rejects: a command that cannot start or
 * runs past `timeoutMs` comes back with a non-zero `code` and the reason in `output`.
 *
 * @returns {Promise<{ code: number, output: string, ms: number, timedOut: boolean }>}
 */
export function exec(
  cmd,
  args,
  { cwd = repoRoot, env = childEnv(), timeoutMs = 600_000, echo = false } = {},
) {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks = [];
    let timedOut = false;
    // detached: the command gets its own process group, so a timeout can end its children too.
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const onData = (d) => {
      chunks.push(d);
      if (echo) process.stdout.write(d);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, timeoutMs);
    const finish = (code, extra = "") => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString("utf8") + extra;
      resolve({ code, output, ms: performance.now() - started, timedOut });
    };
    child.on("error", (e) => finish(127, `\ncould not start ${cmd}: ${e.message}\n`));
    child.on("close", (code, signal) =>
      finish(
        timedOut ? 124 : (code ?? 1),
        timedOut ? `\n[timed out after ${timeoutMs / 1000}s]\n` : signal ? `\n[killed by ${signal}]\n` : "",
      ),
    );
  });
}

/** The last `n` non-empty lines of a command's output, indented for a report. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** `text` without terminal colour codes (they make logs unreadable in CI files). */
export const stripColours = (text) => text.replace(ANSI_COLOUR, "");

export function tail(output, n = 40, indent = "    ") {
  return stripColours(output)
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(-n)
    .map((l) => indent + l)
    .join("\n");
}

/** Formats milliseconds as seconds with one decimal: `12.3s`. */
export const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
