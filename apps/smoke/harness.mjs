// A tiny test harness shared by every runtime the smoke app runs on (Node, Bun, Deno, and later a
// Chromium page). It must stay free of runtime-specific code: no `node:` imports, no `process`, no `Deno`.
// The runner passes a `log` function and decides how to exit.

/** Thrown by the assertion helpers; its message is what the summary prints. */
export class SmokeAssertionError extends Error {
  name = "SmokeAssertionError";
}

function describe(v) {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}[${Array.from(v).join(", ")}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function deepEqualValues(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a))
    return a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !deepEqualValues(v, b.get(k))) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqualValues(a[k], b[k]));
}

/** Assertion helpers handed to every check (also available as `t.ok`, `t.equal`, ...). */
export const assert = {
  ok(value, message = "expected a truthy value") {
    if (!value) throw new SmokeAssertionError(`${message} (got ${describe(value)})`);
  },
  equal(actual, expected, message = "values differ") {
    if (!Object.is(actual, expected))
      throw new SmokeAssertionError(`${message}: expected ${describe(expected)}, got ${describe(actual)}`);
  },
  deepEqual(actual, expected, message = "structures differ") {
    if (!deepEqualValues(actual, expected))
      throw new SmokeAssertionError(`${message}: expected ${describe(expected)}, got ${describe(actual)}`);
  },
  throws(fn, message = "expected a throw") {
    try {
      fn();
    } catch (e) {
      return e;
    }
    throw new SmokeAssertionError(message);
  },
  async rejects(fn, message = "expected a rejection") {
    try {
      await fn();
    } catch (e) {
      return e;
    }
    throw new SmokeAssertionError(message);
  },
};

/**
 * Creates a harness for one runtime. A check file's default export receives `t` and registers checks with
 * `t.check(name, fn)` (fn may be async); `run` executes them in order, one failing check never stops the
 * next, and the last line logged is `SMOKE <runtime>: N passed, N failed`.
 */
export function createHarness({ runtime, log = console.log }) {
  const results = [];

  /** Runs one check module's default export and then the checks it registered. */
  async function runModule(name, load) {
    const pending = [];
    const t = { ...assert, check: (checkName, fn) => pending.push({ name: `${name}: ${checkName}`, fn }) };
    try {
      const mod = await load();
      if (typeof mod.default !== "function") throw new Error("the check file has no default export function");
      await mod.default(t);
    } catch (e) {
      record(`${name}: load`, e);
      return;
    }
    for (const c of pending) {
      try {
        await c.fn();
        record(c.name);
      } catch (e) {
        record(c.name, e);
      }
    }
  }

  function record(name, error) {
    results.push({ name, error });
    if (error) {
      // The message and the first stack frame outside this file: enough to find the failing line.
      const where = String(error?.stack ?? "")
        .split("\n")
        .find((l) => /^\s*at /.test(l) && !l.includes("harness.mjs"));
      log(`  FAIL ${name}\n       ${error?.message ?? error}${where ? `\n       ${where.trim()}` : ""}`);
    } else log(`  ok   ${name}`);
  }

  function summary() {
    const failed = results.filter((r) => r.error).length;
    const passed = results.length - failed;
    log(`SMOKE ${runtime}: ${passed} passed, ${failed} failed`);
    return { passed, failed };
  }

  return { runModule, summary, results };
}
