// What the page publishes on `window.__playground`: the same facts it draws, for tests and the console.

/** The page's phase. */
export type Phase = "starting" | "ready" | "training" | "done" | "error";

/** The published state (plain data, safe to copy out of the page). */
export interface PlaygroundState {
  phase: Phase;
  /** The chosen device, once known. */
  device: {
    kind: string;
    name: string;
    label: string;
    adapter: { name: string; vendor: string; isSoftware: boolean } | null;
    reason: string | null;
    /** Adapters seen but not used (e.g. a software adapter `auto` passed over). */
    skipped: { name: string; vendor: string; isSoftware: boolean }[];
  } | null;
  /** The per-step mini-batch losses of the current run. */
  losses: number[];
  /** Test accuracy at the last evaluation, `null` before the first. */
  accuracy: number | null;
  /** Mean training throughput of the current run. */
  samplesPerSec: number | null;
  /** Images in the train / test subsets, once loaded. */
  data: { train: number; test: number } | null;
  /** The message of the error that stopped the page, if any. */
  error: string | null;
}

declare global {
  interface Window {
    __playground?: PlaygroundState;
  }
}

/**
 * Creates the state object and publishes it as `window.__playground` (mutated in place as the page runs).
 *
 * @example
 * const state = publishState(); state.phase = "ready";
 */
export function publishState(): PlaygroundState {
  const state: PlaygroundState = {
    phase: "starting",
    device: null,
    losses: [],
    accuracy: null,
    samplesPerSec: null,
    data: null,
    error: null,
  };
  window.__playground = state;
  return state;
}
