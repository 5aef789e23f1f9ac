// One-time warnings and plain info messages. A warning that can repeat is printed once per process (a rule of every @flux package),
// keyed by what it is about, so a loop calling gpuDevice() does not flood the console.

const warned = new Set<string>();

/**
 * Prints `message` with `console.warn` the first time `key` is seen in this process; later calls are silent.
 * Returns whether it printed.
 */
export function warnOnce(key: string, message: string): boolean {
  if (warned.has(key)) return false;
  warned.add(key);
  console.warn(message);
  return true;
}

/**
 * Prints an informational message (`console.info`), e.g. what `setGpuBackend` did.
 */
export function info(message: string): void {
  console.info(message);
}

/** @internal Forgets which warnings were printed (tests only). */
export function resetWarnings(): void {
  warned.clear();
}
