// launchThreads: start N workers that each run the same script as one rank of a ThreadsBackend job.
import { resolveTimeout } from "../deadline.js";
import { DistributedArgumentError, DistributedRankFailedError } from "../errors.js";
import { type ArenaInit, createArenaBuffer, markRankFailed, markRankFinished } from "./arena.js";
import type { RankMessage, StartMessage } from "./workerEntry.js";

// A variable, not a literal, so that browser bundlers do not try to resolve a Node built-in.
const WORKER_THREADS = "node:worker_threads";

/** Options of {@link launchThreads}. */
export interface LaunchThreadsOptions {
  /** Bytes per rank region of the shared arena; larger buffers go through in chunks (default 4 MiB). */
  regionBytes?: number;
  /**
   * Fail a collective that waits longer than this many milliseconds (default 300000: 5 minutes; `Infinity`
   * waits forever). A rank's `initialize(ThreadsBackend, { timeoutMs })` overrides it for that rank.
   */
  timeoutMs?: number;
  /** The worker entry module (default: the one shipped beside this file; set it when bundling). */
  workerUrl?: string | URL;
  /** How long survivors get to stop by themselves after a rank failed, before they are terminated (ms, default 1000). */
  graceMs?: number;
  /** Command-line arguments every rank sees after its script (`process.argv.slice(2)`), as under `mpirun`. */
  argv?: string[];
}

/** One started worker, whatever API started it. */
interface RankWorker {
  start(msg: StartMessage): void;
  terminate(): unknown;
}

type Outcome = { rank: number; ok: true } | { rank: number; ok: false; reason: string };

/**
 * Runs `script` on `n` worker threads as ranks 0..n-1 of one ThreadsBackend job; resolves when every rank's
 * script finished, rejects with a {@link DistributedRankFailedError} naming the first rank that failed.
 *
 * The script is an ES module whose top-level code (top-level await included) is the rank's work; it calls
 * `await initialize(ThreadsBackend)` like an MPI script calls `initialize(MPIBackend)`. When a rank throws
 * or exits, the others are woken from their collectives with an error and stopped. When a rank ends
 * normally while others wait in a collective it never called, they fail naming it (and so does the launch).
 *
 * @example
 * await launchThreads(4, new URL("./train.js", import.meta.url));
 */
export async function launchThreads(
  n: number,
  script: string | URL,
  opts: LaunchThreadsOptions = {},
): Promise<void> {
  if (!Number.isInteger(n) || n < 1)
    throw new DistributedArgumentError(`launchThreads needs a positive integer count of ranks, got ${n}.`);
  const timeoutMs = resolveTimeout(opts.timeoutMs, "launchThreads");
  await preloadWorkerThreads();
  const { buffer, memory, regionBytes } = createArenaBuffer(n, opts.regionBytes ?? 4 * 1024 * 1024);
  const scriptUrl = script instanceof URL ? script.href : script;
  const workerUrl = opts.workerUrl ?? defaultWorkerUrl();
  const outcomes: Promise<Outcome>[] = [];
  const workers: RankWorker[] = [];
  let firstFailure: ((o: Outcome) => void) | undefined;
  const failed = new Promise<Outcome>((resolve) => (firstFailure = resolve));

  for (let rank = 0; rank < n; rank++) {
    const init: ArenaInit = { buffer, memory, rank, size: n, regionBytes, timeoutMs };
    const outcome = new Promise<Outcome>((resolve) => {
      const settle = (o: Outcome) => {
        if (!o.ok) {
          markRankFailed(buffer, o.rank);
          firstFailure!(o);
        } else markRankFinished(buffer, o.rank); // the others must not wait for it in a collective
        resolve(o);
      };
      workers.push(spawn(workerUrl, rank, settle, opts.argv ?? []));
    });
    outcomes.push(outcome);
    workers[rank].start({ type: "start", init, scriptUrl });
  }

  const all = Promise.all(outcomes);
  const first = await Promise.race([all.then(() => null), failed]);
  if (first === null) {
    const bad = (await all).find((o) => !o.ok);
    if (!bad) return;
    throw new DistributedRankFailedError(bad.rank, (bad as { reason: string }).reason);
  }
  // Survivors wake from their barrier with an error and usually exit at once; stop any that do not.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([all, new Promise((r) => (timer = setTimeout(r, opts.graceMs ?? 1000)))]);
  clearTimeout(timer); // a pending timer would keep the process alive for the whole grace period
  await Promise.all(workers.map((w) => w.terminate()));
  throw new DistributedRankFailedError(first.rank, (first as { reason: string }).reason);
}

function defaultWorkerUrl(): URL {
  // From source (vitest, Bun, Deno running .ts) the entry sits beside us; from dist, tsup emits it at the
  // package's dist root as flux-distributed-worker.js, beside the chunk that holds this code.
  return import.meta.url.endsWith(".ts")
    ? new URL("./workerEntry.ts", import.meta.url)
    : new URL("./flux-distributed-worker.js", import.meta.url);
}

function spawn(url: string | URL, rank: number, settle: (o: Outcome) => void, argv: string[]): RankWorker {
  let done = false;
  let reported: Outcome | undefined;
  const finish = (o: Outcome) => {
    if (done) return;
    done = true;
    settle(o);
  };
  const onMessage = (m: RankMessage) => {
    reported = m.type === "done" ? { rank, ok: true } : { rank, ok: false, reason: firstLine(m.error) };
    if (!reported.ok) finish(reported);
  };
  const onError = (e: unknown) =>
    finish({ rank, ok: false, reason: firstLine(e instanceof Error ? (e.stack ?? e.message) : String(e)) });
  const onExit = (code: number) => {
    if (reported?.ok && code === 0) finish(reported);
    else if (reported && !reported.ok) finish(reported);
    else
      finish({
        rank,
        ok: false,
        reason: `its thread exited with code ${code} ${reported ? "after" : "before"} finishing its script`,
      });
  };

  const WebWorker = (globalThis as { Worker?: new (u: string | URL, o: object) => any }).Worker;
  const nodeWorkers = nodeWorkerThreads();
  if (nodeWorkers) {
    const w = new nodeWorkers.Worker(url instanceof URL ? url : new URL(url), { argv });
    w.on("message", onMessage);
    w.on("error", onError);
    w.on("exit", onExit);
    return { start: (msg) => w.postMessage(msg), terminate: () => w.terminate() };
  }
  if (!WebWorker)
    throw new DistributedArgumentError(
      "launchThreads needs node:worker_threads or Web Workers; neither exists here.",
    );
  // Web Workers have no exit event: "done" ends the rank.
  const w = new WebWorker(url, { type: "module" });
  w.addEventListener("message", (e: { data: RankMessage }) => {
    onMessage(e.data);
    if (e.data.type === "done") {
      finish({ rank, ok: true });
      w.terminate();
    }
  });
  w.addEventListener("error", (e: { message?: string; preventDefault?: () => void }) => {
    e.preventDefault?.();
    onError(e.message ?? "worker error");
  });
  return { start: (msg) => w.postMessage(msg), terminate: () => w.terminate() };
}

let workerThreadsModule: typeof import("node:worker_threads") | null | undefined;

/** node:worker_threads when the runtime has it (Node, Bun, Deno), loaded by {@link preloadWorkerThreads}. */
function nodeWorkerThreads(): typeof import("node:worker_threads") | null {
  return workerThreadsModule ?? null;
}

/** Loads node:worker_threads once (an async import, so browsers that lack it are not broken by it). */
export async function preloadWorkerThreads(): Promise<void> {
  if (workerThreadsModule !== undefined) return;
  try {
    workerThreadsModule = await import(/* @vite-ignore */ WORKER_THREADS);
  } catch {
    workerThreadsModule = null;
  }
}

function firstLine(s: string): string {
  const lines = s.split("\n");
  // Keep the error line and the frame that threw: enough to act on, short enough for one log line.
  return lines.slice(0, 2).join(" | ").trim();
}
