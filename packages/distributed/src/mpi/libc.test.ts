// libc through koffi: setenv must reach the C environment native libraries read (process.env does not, on
// Bun), must not overwrite what the user set, and loadMpi must turn UCX's memory hooks off before libmpi
// (and UCX with it) is loaded.
import koffi from "koffi";
import { describe, expect, it } from "vitest";
import { DistributedUnavailableError } from "../errors.js";
import { bindLibc, type KoffiLoader } from "./libc.js";
import { loadMpi } from "./library.js";

const getenv: (name: string) => string | null = koffi
  .load("libc.so.6")
  .func("const char *getenv(const char *name)");

describe("bindLibc", () => {
  it("sets a variable in the C environment, and leaves one that is already set", () => {
    const libc = bindLibc(koffi);
    expect(libc.setenvIfUnset).not.toBeNull();
    libc.setenvIfUnset?.("FLUX_LIBC_TEST_VAR", "first");
    expect(getenv("FLUX_LIBC_TEST_VAR")).toBe("first");
    libc.setenvIfUnset?.("FLUX_LIBC_TEST_VAR", "second");
    expect(getenv("FLUX_LIBC_TEST_VAR")).toBe("first");
    expect(libc.schedYield?.()).toBe(0);
  });

  it("binds nothing, without throwing, where no libc loads", () => {
    const none: KoffiLoader = {
      load: () => {
        throw new Error("no such library");
      },
    };
    expect(bindLibc(none)).toEqual({ schedYield: null, setenvIfUnset: null });
  });
});

describe("loadMpi", () => {
  it("turns UCX's memory hooks off (unless set) before it loads libmpi", async () => {
    const events: string[] = [];
    const fake = {
      load(path: string) {
        if (!path.startsWith("libc")) {
          events.push(`load ${path}`);
          throw new Error("not installed");
        }
        return {
          func: (decl: string) =>
            decl.includes("setenv")
              ? (name: string, value: string, overwrite: number) => {
                  events.push(`setenv ${name}=${value} overwrite=${overwrite}`);
                  return 0;
                }
              : () => 0,
        };
      },
    };
    await expect(loadMpi({ families: ["mpich"], koffi: fake })).rejects.toThrow(DistributedUnavailableError);
    expect(events[0]).toBe("setenv UCX_MEM_EVENTS=no overwrite=0");
    expect(events.slice(1).every((e) => e.startsWith("load "))).toBe(true);
    expect(events.length).toBeGreaterThan(1);
  });
});
