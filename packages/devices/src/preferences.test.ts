// The preference across processes: set in one node process, honoured by the next, overridden by
// FLUX_GPU_BACKEND, deleted, and a corrupt or unknown stored value handled with one warning, never a crash;
// a file that cannot be parsed is never overwritten or deleted; two processes updating it at once both
// survive; a writer killed part way leaves the old or the new content; a FIFO or a link to /dev/zero never
// hangs a process. The child (preferences.fixture.ts) is bundled once with esbuild so plain `node` runs
// our TypeScript.
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

interface ChildOutput {
  GPU_BACKEND: string | null;
  results: (string | { name: string; code?: string; message: string })[];
  logs: string[];
}

let work: string;
let bundle: string;
let project: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "flux-devices-prefs-"));
  bundle = join(work, "child.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./preferences.fixture.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@flux/source"],
    external: ["webgpu", "koffi"],
    outfile: bundle,
    logLevel: "error",
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeEach(() => {
  project = mkdtempSync(join(work, "project-"));
  writeFileSync(join(project, "package.json"), '{ "name": "app" }\n');
});

function child(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): ChildOutput {
  const env: Record<string, string | undefined> = {
    ...process.env,
    FLUX_SILENCE_WARN_NO_GPU: "1",
    ...opts.env,
  };
  delete env.FLUX_GPU_BACKEND;
  if (opts.env?.FLUX_GPU_BACKEND) env.FLUX_GPU_BACKEND = opts.env.FLUX_GPU_BACKEND;
  const r = spawnSync(process.execPath, [bundle, ...args], {
    cwd: opts.cwd ?? project,
    env,
    encoding: "utf8",
    timeout: 20_000, // a FIFO or /dev/zero must not hang it: a timeout fails the test
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status} ${r.signal ?? ""}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as ChildOutput;
}

/** The same, without waiting: for processes that run at the same time. */
function childAsync(args: string[]): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, FLUX_SILENCE_WARN_NO_GPU: "1" };
    delete env.FLUX_GPU_BACKEND;
    const p = spawn(process.execPath, [bundle, ...args], { cwd: project, env });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.stderr.on("data", (d) => {
      err += d;
    });
    p.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as ChildOutput)
        : reject(new Error(`child failed (${code}): ${err}`)),
    );
  });
}

const prefFile = () => join(project, "flux.config.json");
const AUTO = ["GPUDevice(webgpu:0)", "GPUDevice(fakeA:0)"];

describe("setGpuBackend across processes", () => {
  it("persists to flux.config.json at the project root; the next process selects it", () => {
    const sub = join(project, "src", "deep");
    mkdirSync(sub, { recursive: true });
    const a = child(["set=fakeB"], { cwd: sub });
    expect(a.results).toEqual(["ok"]);
    expect(a.logs.join("\n")).toContain(`set to "fakeB" (${prefFile()})`);
    expect(JSON.parse(readFileSync(prefFile(), "utf8"))).toEqual({ gpuBackend: "fakeB" });
    const b = child(["select"]);
    expect(b.GPU_BACKEND).toBe("fakeB");
    expect(b.results).toEqual(["GPUDevice(fakeB:0)"]);
    expect(b.logs.filter((l) => l.startsWith("warn"))).toEqual([]);
  });

  it("takes effect in the same process without a restart", () => {
    const r = child(["set=fakeB", "select", "set=fakeA", "select"]);
    expect(r.results).toEqual(["ok", "GPUDevice(fakeB:0)", "ok", "GPUDevice(fakeA:0)"]);
  });

  it("says so when the value is already set, and keeps other keys of the file", () => {
    writeFileSync(prefFile(), '{ "other": 1 }\n');
    child(["set=fakeB"]);
    const again = child(["set=fakeB"]);
    expect(again.logs.join("\n")).toContain('already "fakeB"');
    expect(JSON.parse(readFileSync(prefFile(), "utf8"))).toEqual({ other: 1, gpuBackend: "fakeB" });
  });

  it("is overridden by FLUX_GPU_BACKEND", () => {
    child(["set=fakeB"]);
    const r = child(["select"], { env: { FLUX_GPU_BACKEND: "fakeA" } });
    expect(r.GPU_BACKEND).toBe("fakeA");
    expect(r.results).toEqual(["GPUDevice(fakeA:0)"]);
  });

  it('is deleted by setGpuBackend("") (the file goes when nothing else is in it)', () => {
    child(["set=fakeB"]);
    const d = child(["set="]);
    expect(d.logs.join("\n")).toContain("deleted the GPU backend preference");
    expect(existsSync(prefFile())).toBe(false);
    const r = child(["select"]);
    expect(r.GPU_BACKEND).toBeNull();
    expect(AUTO).toContain(r.results[0]);
  });

  it("rejects an invalid name, listing the valid ones, and stores nothing", () => {
    const r = child(["set=cuda"]);
    const err = r.results[0] as { name: string; code: string; message: string };
    expect(err.name).toBe("InvalidBackendError");
    expect(err.code).toBe("ERR_INVALID_BACKEND");
    expect(err.message).toContain('Valid backends are "webgpu", "fakeA", "fakeB"');
    expect(existsSync(prefFile())).toBe(false);
  });
});

describe("a bad stored preference", () => {
  it("corrupt JSON: one warning, automatic selection, no crash; setGpuBackend refuses to overwrite it", () => {
    const broken = "{ gpuBackend: webgpu";
    writeFileSync(prefFile(), broken);
    const r = child(["select", "select"]);
    expect(r.GPU_BACKEND).toBeNull();
    expect(AUTO).toContain(r.results[0]);
    const warns = r.logs.filter((l) => l.startsWith("warn"));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain("cannot be read: it is not valid JSON at line 1, column 3");
    const set = child(["set=fakeB"]).results[0] as { name: string; code: string; message: string };
    expect(set).toMatchObject({ name: "PreferencesFileError", code: "ERR_PREFERENCES_FILE" });
    expect(readFileSync(prefFile(), "utf8")).toBe(broken);
  });

  it('setGpuBackend("") on a file with a trailing comma: a named error with file, line, column; the file kept', () => {
    const text = '{\n  "gpuBackend": "fakeB",\n  "team": { "lint": true },\n}\n';
    writeFileSync(prefFile(), text);
    for (const cmd of ["set=", "set=fakeA"]) {
      const err = child([cmd]).results[0] as { name: string; code: string; message: string };
      expect(err.name).toBe("PreferencesFileError");
      expect(err.message).toContain(`${prefFile()}: it is not valid JSON at line 4, column 1`);
      expect(err.message).toContain("never overwrites or deletes");
      expect(readFileSync(prefFile(), "utf8")).toBe(text);
    }
  });

  it("an unknown backend name: one warning naming the valid ones, automatic selection", () => {
    writeFileSync(prefFile(), '{ "gpuBackend": "metal" }');
    const r = child(["select", "select"]);
    expect(r.GPU_BACKEND).toBe("metal");
    expect(AUTO).toContain(r.results[0]);
    const warns = r.logs.filter((l) => l.startsWith("warn"));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain('"metal"');
    expect(warns[0]).toContain("not a valid backend");
  });

  it("a value of the wrong type counts as corrupt", () => {
    writeFileSync(prefFile(), '{ "gpuBackend": 42 }');
    const r = child(["select"]);
    expect(r.logs.join("\n")).toContain('"gpuBackend" is 42, not a string');
  });
});

describe("a preference file that is not a small regular file", () => {
  it.skipIf(process.platform === "win32")("a FIFO: import and selection do not block; set refuses", () => {
    const made = spawnSync("mkfifo", [prefFile()]);
    if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
    const r = child(["select", "set=fakeB"]);
    expect(AUTO).toContain(r.results[0]);
    expect(r.logs.join("\n")).toContain("not a regular file");
    expect(r.results[1]).toMatchObject({ name: "PreferencesFileError" });
  });

  it.skipIf(process.platform === "win32")("a symbolic link to /dev/zero: no endless read", () => {
    symlinkSync("/dev/zero", prefFile());
    const r = child(["select"]);
    expect(AUTO).toContain(r.results[0]);
    expect(r.logs.join("\n")).toContain("not a regular file");
  });

  it("a file over 1 MiB is refused, not read", () => {
    writeFileSync(prefFile(), `{"gpuBackend":"fakeB","x":"${"x".repeat(1100 * 1024)}"}`);
    const r = child(["select", "set=fakeA"]);
    expect(AUTO).toContain(r.results[0]);
    expect(r.logs.join("\n")).toContain("larger than 1 MiB");
    expect(r.results[1]).toMatchObject({ name: "PreferencesFileError" });
  });
});

describe("two processes updating the file at once", () => {
  it("both keep their updates (40 read-increment-writes each), and a reader never sees a broken file", async () => {
    writeFileSync(prefFile(), '{ "gpuBackend": "fakeB" }\n');
    const [a, b, reader] = await Promise.all([
      childAsync(["count=a:40"]),
      childAsync(["count=b:40"]),
      childAsync(Array.from({ length: 15 }, () => "select")),
    ]);
    expect(a.results).toEqual(["ok"]);
    expect(b.results).toEqual(["ok"]);
    expect(JSON.parse(readFileSync(prefFile(), "utf8"))).toEqual({ gpuBackend: "fakeB", a: 40, b: 40 });
    expect(reader.results.every((x) => x === "GPUDevice(fakeB:0)")).toBe(true);
    expect(reader.logs.filter((l) => l.startsWith("warn"))).toEqual([]);
  }, 60_000);
});

describe("a writer killed while it overwrites the file", () => {
  it("leaves the old or the new content every time (SIGKILL, 20 times)", async () => {
    const versions = new Set<string>();
    // The old content to begin with: the same shape as what the writer writes.
    writeFileSync(
      prefFile(),
      JSON.stringify({ gpuBackend: "fakeA", version: "b", padding: "b".repeat(256 * 1024) }),
    );
    for (let i = 0; i < 20; i++) {
      const env: Record<string, string | undefined> = { ...process.env, FLUX_SILENCE_WARN_NO_GPU: "1" };
      const p = spawn(process.execPath, [bundle, "flip=100000"], { cwd: project, env });
      await new Promise<void>((resolve) => {
        p.stdout.once("data", () => resolve());
      });
      await new Promise((r) => setTimeout(r, 20 + ((i * 37) % 120)));
      p.kill("SIGKILL");
      await new Promise((r) => p.on("exit", r));
      const text = readFileSync(prefFile(), "utf8");
      const json = JSON.parse(text) as { version: string; padding: string };
      expect(["a", "b"]).toContain(json.version);
      expect(json.padding).toBe(json.version.repeat(256 * 1024));
      versions.add(json.version);
    }
    // The next writer takes over a lock the killed one left behind.
    expect(child(["set=fakeB"]).results).toEqual(["ok"]);
    expect(versions.size).toBe(2); // the kills did land between writes of both contents
  }, 120_000);
});
