// The two libc calls the MPI backend makes besides libmpi's own, bound through koffi: sched_yield (to give
// a core away while waiting) and setenv (to set MPI's and UCX's options before MPI starts).

/** The part of koffi this file uses. */
export type KoffiLoader = {
  load(path: string): { func(definition: string): (...args: any[]) => any };
};

/** libc's calls, each `null` where libc could not be bound (no libc by the usual names, e.g. Windows). */
export interface Libc {
  /** `sched_yield()`: gives this core to another runnable process. */
  schedYield: (() => number) | null;
  /**
   * `setenv(name, value, 0)`: sets a variable in the process's C environment unless it is already set
   * there. Native libraries read that environment with getenv; on Bun, assigning `process.env` does not
   * reach it, so this is the one way to set an option for them on every runtime.
   */
  setenvIfUnset: ((name: string, value: string) => void) | null;
}

const LIBC_NAMES = ["libc.so.6", "libc.so", "libSystem.B.dylib"];

/** Binds libc's calls through `koffi`. Never throws: what cannot be bound is `null`. */
export function bindLibc(koffi: KoffiLoader): Libc {
  for (const name of LIBC_NAMES) {
    let lib: ReturnType<KoffiLoader["load"]>;
    try {
      lib = koffi.load(name);
    } catch {
      continue; // try the next name
    }
    const schedYield = tryBind(() => lib.func("int sched_yield()"));
    const setenv = tryBind(() => lib.func("int setenv(const char *name, const char *value, int overwrite)"));
    return {
      schedYield,
      setenvIfUnset: setenv ? (n: string, v: string) => void setenv(n, v, 0) : null,
    };
  }
  return { schedYield: null, setenvIfUnset: null };
}

function tryBind<F>(bind: () => F): F | null {
  try {
    return bind();
  } catch {
    return null;
  }
}
