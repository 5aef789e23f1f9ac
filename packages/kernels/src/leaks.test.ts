import v8 from "node:v8";
import vm from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memory, setDebugLeaks } from "./memory.js";
import { zeros } from "./ops/creation.js";

// A real garbage collection, so that the FinalizationRegistry has something to report.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

async function collect(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}

function makeGarbage(): void {
  zeros([8]); // never disposed
}

describe("debug leak detector", () => {
  afterEach(() => {
    setDebugLeaks(false);
    vi.restoreAllMocks();
  });

  it("reports a tensor collected without dispose(), once per creation site, and frees nothing", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    setDebugLeaks(true);
    const live = memory().liveTensors;
    makeGarbage();
    makeGarbage();
    await collect();
    const reports = warn.mock.calls.filter((c) =>
      String(c[0]).includes("garbage-collected without dispose()"),
    );
    expect(reports).toHaveLength(1);
    expect(String(reports[0]![0])).toContain("leaks.test.ts");
    // reporting only: the accounting still shows the leaked tensors as live
    expect(memory().liveTensors).toBe(live + 2);
  });

  it("stays silent for disposed tensors and when off", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    setDebugLeaks(true);
    (() => zeros([4]).dispose())();
    setDebugLeaks(false);
    (() => zeros([4]))();
    await collect();
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("without dispose()"))).toHaveLength(0);
  });
});
