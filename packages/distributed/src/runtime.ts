// The few runtime services we need, reached the same way on Node, Bun and Deno (and absent in browsers).

interface ProcessLike {
  env: Record<string, string | undefined>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  exit(code?: number): never;
  stderr?: { write(s: string): unknown };
}

function processLike(): ProcessLike | undefined {
  return (globalThis as { process?: ProcessLike }).process;
}

/** Reads an environment variable: @flux/kernels' shared reader (never needs a permission Deno did not grant). */
export { readEnv } from "@flux/kernels";

/** Writes one line to stderr (console.error where there is no stderr stream). */
export function writeStderr(line: string): void {
  const p = processLike();
  if (p?.stderr) p.stderr.write(`${line}\n`);
  else console.error(line);
}

/**
 * Calls `handler` on an uncaught exception or unhandled rejection, before the runtime's default handling.
 *
 * Node and Bun (and Deno 2, which provides `process`) use process events; otherwise the web `error` and
 * `unhandledrejection` events.
 */
export function onFatal(handler: (error: unknown) => void): void {
  const p = processLike();
  if (p?.on) {
    p.on("uncaughtException", handler);
    p.on("unhandledRejection", handler);
    return;
  }
  const g = globalThis as unknown as { addEventListener?: (t: string, l: (e: any) => void) => void };
  g.addEventListener?.("error", (e) => handler(e.error ?? e));
  g.addEventListener?.("unhandledrejection", (e) => handler(e.reason));
}

/** Runs `handler` synchronously when the process exits normally. */
export function onExit(handler: (code: number) => void): void {
  const p = processLike();
  if (p?.on) p.on("exit", (code?: number) => handler(typeof code === "number" ? code : 0));
  else
    (globalThis as unknown as { addEventListener?: (t: string, l: () => void) => void }).addEventListener?.(
      "unload",
      () => handler(0),
    );
}

/** Ends the process with a code (used after a fatal error when no MPI_Abort is available). */
export function exitProcess(code: number): void {
  const p = processLike();
  if (p?.exit) p.exit(code);
  else (globalThis as { Deno?: { exit(c: number): never } }).Deno?.exit(code);
}

/**
 * Blocks the calling thread for `ms` milliseconds (for fatal paths only, where nothing else should run).
 *
 * `Atomics.wait` on a private buffer sleeps without spinning on Node, Bun and Deno; where it is refused
 * (a browser's main thread) the pause is skipped.
 */
export function pauseSync(ms: number): void {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  } catch {
    // No blocking wait here: nothing to flush through a launcher either.
  }
}

/**
 * Waits one macrotask: lets timers, I/O and other promises run between polls of a pending collective.
 *
 * `setImmediate` (Node, Bun, Deno) yields for microseconds; `setTimeout(0)` is clamped to about 1 ms, which
 * made a 1 MiB allreduce 30-60x slower than C (apps/bench `--only allreduce`). Browsers fall back to it.
 */
export function nextTick(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/** Describes an error for a one-line log: its stack when it has one. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}
