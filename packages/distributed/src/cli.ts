#!/usr/bin/env node
// flux-distributed --threads N script.js: run a training script on N worker threads (ThreadsBackend).
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { DistributedError } from "./errors.js";
import { launchThreads } from "./threads/launch.js";

const USAGE =
  "usage: flux-distributed --threads N [--timeout-ms MS] script.js [script args...]\n" +
  "  Runs script.js on N worker threads as ranks 0..N-1 of a ThreadsBackend job.\n" +
  "  --timeout-ms: every collective's deadline (default 300000, i.e. 5 minutes; Infinity waits forever).\n" +
  "  For MPI, use your MPI launcher instead: mpirun -n N node script.js";

async function main(argv: string[]): Promise<number> {
  let threads: number | undefined;
  let timeoutMs: number | undefined;
  let script: string | undefined;
  let scriptArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--threads" || a === "-n") threads = Number(argv[++i]);
    else if (a.startsWith("--threads=")) threads = Number(a.slice(10));
    else if (a === "--timeout-ms") timeoutMs = Number(argv[++i]);
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      return 0;
    } else {
      // Everything after the script belongs to the script, as with `mpirun -n N node script.js --flag`.
      script = a;
      scriptArgs = argv.slice(i + 1);
      break;
    }
  }
  if (!script || !threads || !Number.isInteger(threads) || threads < 1) {
    console.error(USAGE);
    return 2;
  }
  try {
    await launchThreads(threads, pathToFileURL(resolve(script)), { timeoutMs, argv: scriptArgs });
    return 0;
  } catch (e) {
    console.error(e instanceof DistributedError ? e.message : e);
    return 1;
  }
}

const proc = (globalThis as unknown as { process: { argv: string[]; exitCode?: number } }).process;
proc.exitCode = await main(proc.argv.slice(2));
