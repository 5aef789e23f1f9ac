// The deadline every collective waits under: generous but finite by default, so that no job hangs silently.
import { DistributedArgumentError } from "./errors.js";

/**
 * How long a collective waits for the other ranks before it throws `DistributedTimeoutError`, unless
 * `timeoutMs` says otherwise: 5 minutes. Long enough for any rank's work between two collectives in a
 * training loop (an evaluation on rank 0 included); short enough that a stuck job ends the same day.
 */
export const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * The deadline in milliseconds for a `timeoutMs` option: the default when absent, `Infinity` to wait
 * forever; anything but a positive number is refused with a `DistributedArgumentError`.
 */
export function resolveTimeout(timeoutMs: unknown, where: string): number {
  if (timeoutMs === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs === "number" && timeoutMs > 0) return timeoutMs;
  throw new DistributedArgumentError(
    `${where}: timeoutMs must be a positive number of milliseconds (or Infinity to wait forever); got ` +
      `${typeof timeoutMs === "number" ? timeoutMs : typeof timeoutMs}. The default is ${DEFAULT_TIMEOUT_MS} (5 minutes).`,
  );
}
