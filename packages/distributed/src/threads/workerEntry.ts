// The module every launched worker starts with: receive the arena, publish it, run the user's script,
// report how it ended. Kept free of other imports so that its bundle stays tiny.
import type { ArenaInit } from "./arena.js";
import { setThreadsContext } from "./context.js";

// A variable, not a literal, so that browser bundlers do not try to resolve a Node built-in.
const WORKER_THREADS = "node:worker_threads";

/** The message a launcher sends to start a rank. */
export interface StartMessage {
  type: "start";
  init: ArenaInit;
  scriptUrl: string;
}

/** The messages a rank sends back. */
export type RankMessage = { type: "done" } | { type: "failed"; error: string };

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}

async function run(msg: StartMessage, post: (m: RankMessage) => void): Promise<void> {
  setThreadsContext(msg.init);
  try {
    await import(/* @vite-ignore */ msg.scriptUrl);
    post({ type: "done" });
  } catch (e) {
    post({ type: "failed", error: describe(e) });
  }
}

async function main(): Promise<void> {
  // Node, Bun and Deno start us through node:worker_threads (parentPort); browsers through a Web Worker.
  let port: import("node:worker_threads").MessagePort | null = null;
  try {
    port = (await import(/* @vite-ignore */ WORKER_THREADS)).parentPort;
  } catch {
    port = null;
  }
  if (port) {
    const p = port;
    p.once("message", (msg: StartMessage) => void run(msg, (m) => p.postMessage(m)));
    return;
  }
  const self = globalThis as unknown as {
    postMessage: (m: unknown) => void;
    addEventListener: (t: string, l: (e: { data: unknown }) => void) => void;
  };
  self.addEventListener("message", (e) => {
    const msg = e.data as StartMessage;
    if (msg?.type === "start") void run(msg, (m) => self.postMessage(m));
  });
}

void main();
