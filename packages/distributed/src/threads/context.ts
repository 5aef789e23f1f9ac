// The handshake between the worker entry and the copy of @flux/distributed the user's script imports.
// They can be two module instances (the entry is its own bundle), so the key is a Symbol.for on globalThis
// of the worker's own realm: it exists only inside a worker that launchThreads started.
import type { ArenaInit } from "./arena.js";

const CONTEXT_KEY = Symbol.for("flux.distributed.threads.context");

/** Stores this worker's arena membership (called by the worker entry before it imports the script). */
export function setThreadsContext(init: ArenaInit): void {
  (globalThis as Record<symbol, unknown>)[CONTEXT_KEY] = init;
}

/** This worker's arena membership, or `undefined` outside a launched worker. */
export function getThreadsContext(): ArenaInit | undefined {
  return (globalThis as Record<symbol, unknown>)[CONTEXT_KEY] as ArenaInit | undefined;
}
