// A child process that answers one JSON line per request line: how the model table drives PyTorch (a
// python3 child, torch_bench.py) and our wasm-GEMM variant (a node child with FLUX_CPU_BLAS=0,
// fluxChild.mjs) one measurement at a time, interleaved with ours.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { BenchError } from "../errors.mjs";

/**
 * A started child: `info` is its first line's `info`; `request` sends one object and resolves with the next
 * line it prints (parsed); `close` ends its input and waits for it to exit.
 *
 * @typedef {object} LineChild
 * @property {Record<string, unknown>} info
 * @property {(req: object) => Promise<any>} request
 * @property {() => Promise<void>} close
 */

/**
 * Starts `cmd args` and waits for its first line, `{"info": {...}}`.
 *
 * @param {string} label for error messages ("PyTorch", ...)
 * @param {string} cmd
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<LineChild>}
 * @example const c = await startLineChild("PyTorch", "python3", [script], process.env);
 */
export function startLineChild(label, cmd, args, env) {
  const child = spawn(cmd, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => {
    err = (err + d).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  /** @type {((line: string | null) => void)[]} */
  const waiting = [];
  /** @type {string[]} */
  const queued = [];
  let ended = false;
  lines.on("line", (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else queued.push(line);
  });
  const exited = new Promise((resolve) => child.on("close", resolve));
  child.on("close", () => {
    ended = true;
    for (const w of waiting.splice(0)) w(null);
  });
  /** @returns {Promise<any>} */
  const next = async () => {
    const line =
      queued.length > 0
        ? queued.shift()
        : ended
          ? null
          : await new Promise((resolve) => waiting.push(resolve));
    if (line === null || line === undefined) {
      const tail = err.trim().split("\n").slice(-3).join(" | ");
      throw new BenchError("PEER_FAILED", `${label} (${cmd}) stopped answering${tail ? `: ${tail}` : ""}`);
    }
    return JSON.parse(line);
  };
  return new Promise((resolve, reject) => {
    child.on("error", (e) =>
      reject(
        new BenchError("PEER_FAILED", `could not start ${cmd} for ${label}: ${e.message}`, { cause: e }),
      ),
    );
    next().then(
      (first) =>
        resolve({
          info: first.info ?? {},
          request: (req) => {
            child.stdin.write(`${JSON.stringify(req)}\n`);
            return next();
          },
          close: async () => {
            child.stdin.end();
            await exited;
          },
        }),
      reject,
    );
  });
}
