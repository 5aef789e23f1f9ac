// `save` overwrites a model file atomically: a process killed at any moment while overwriting, a write
// stopped by a file-size limit, or a folder that refuses new files leaves the old file byte for byte,
// never a truncated or mixed one. The writer runs in a child process (Bun runs this package's TypeScript
// sources directly), so it can be SIGKILLed part way through a real write.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import { saveBytes } from "./saveBytes.js";

const IO_DIR = fileURLToPath(new URL(".", import.meta.url));
const BUN = fileURLToPath(new URL("../../../../node_modules/.bin/bun", import.meta.url));

// A model of `n` f32 values whose content depends on `version`: 1,000,000 values make a 4 MB file.
const MODEL_SOURCE = `
export function model(tensor, version, n) {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (i % 997) + version * 0.5;
  return { weight: tensor(v, [n / 1000, 1000]) };
}
`;

// The child: saves version 1, 2, 1, 2... over the same file until it is killed, or once with "once".
const CHILD_SOURCE = `
const { save } = await import(${JSON.stringify(join(IO_DIR, "files.ts"))});
const { tensor } = await import(Bun.resolveSync("@flux/kernels", ${JSON.stringify(IO_DIR)}));
const { model } = await import("./model.mjs");
const [path, mode, n] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const models = [model(tensor, 1, n), model(tensor, 2, n)];
if (mode === "once") {
  await save(path, models[1]);
} else {
  process.stdout.write("ready\\n");
  // Version 2 first: the file starts as version 1, so every completed save changes it.
  for (let i = 1; ; i++) {
    await save(path, models[i % 2]);
    process.stdout.write("saved\\n");
  }
}
`;

const N = 1_000_000;

async function expectedFile(version: number, n = N): Promise<Uint8Array> {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (i % 997) + version * 0.5;
  return saveBytes({ weight: tensor(v, [n / 1000, 1000]) });
}

function setup(): string {
  const dir = mkdtempSync(join(tmpdir(), "flux-save-crash-"));
  writeFileSync(join(dir, "model.mjs"), MODEL_SOURCE);
  writeFileSync(join(dir, "child.ts"), CHILD_SOURCE);
  return dir;
}

function childArgs(dir: string, target: string, mode: string, n = N): string[] {
  return ["--no-install", "--conditions=@flux/source", join(dir, "child.ts"), target, mode, String(n)];
}

/**
 * Kills `child` part way through a save: after it has completed `saves` saves (1 or more), at a random point of
 * the next one, timed from how long the previous save took (so it works on a slow or busy machine too).
 */
function killDuringSave(child: ChildProcess, saves: number, fraction: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = "";
    let done = -1; // -1 until "ready"
    let last = 0;
    let duration = 20;
    const strike = () => {
      setTimeout(() => child.kill("SIGKILL"), fraction * duration * 1.2);
    };
    child.stderr!.on("data", (d) => {
      err += String(d);
    });
    child.stdout!.on("data", (d) => {
      for (const line of String(d).split("\n")) {
        if (line !== "ready" && line !== "saved") continue;
        const now = performance.now();
        if (line === "saved") duration = now - last;
        last = now;
        done++;
        if (done === saves) strike();
      }
    });
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`the writer exited (${code}) before it was killed: ${err}`));
    });
  });
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

describe("save is atomic", () => {
  test("SIGKILL at random moments while overwriting a 4 MB model: the file is always the old or the new one", async () => {
    const dir = setup();
    const [v1, v2] = [await expectedFile(1), await expectedFile(2)];
    // Four writers at a time, each on its own file, 10 rounds: 40 kills in a few seconds.
    const writers = 4;
    const rounds = 10;
    const targets = Array.from({ length: writers }, (_, w) => join(dir, `m${w}.safetensors`));
    for (const t of targets) writeFileSync(t, v1);
    const previous = targets.map(() => v1);
    let changed = 0;
    let midWrite = 0;
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < rounds; round++) {
      await Promise.all(
        targets.map(async (target, w) => {
          const child = spawn(BUN, childArgs(dir, target, "loop"), { stdio: ["ignore", "pipe", "pipe"] });
          // Kill during the second or third save, timed from how long the one before it took.
          await killDuringSave(child, 1 + Math.floor(random() * 2), random());
          const now = new Uint8Array(readFileSync(target));
          const ok = sameBytes(now, v1) || sameBytes(now, v2);
          expect(
            ok,
            `round ${round}, writer ${w}: the file has ${now.length} bytes, neither the old nor the new model`,
          ).toBe(true);
          if (!sameBytes(now, previous[w]!)) changed++;
          previous[w] = now;
        }),
      );
      // A temporary file left behind means a kill landed in the middle of a write.
      const leftovers = readdirSync(dir).filter((f) => f.endsWith(".tmp"));
      midWrite += leftovers.length;
      for (const f of leftovers) rmSync(join(dir, f));
    }
    // The kills must have hit real overwrites, some of them part way through, or the test proved nothing.
    expect(changed).toBeGreaterThan(0);
    expect(midWrite).toBeGreaterThan(0);
  }, 120_000);

  test("a write stopped by a file-size limit (ulimit -f) leaves the old file", async () => {
    const dir = setup();
    const target = join(dir, "m.safetensors");
    const old = await expectedFile(1, 1000); // 4 KB, under the limit
    writeFileSync(target, old);
    // 1024 blocks of 1 KiB: the 4 MB model cannot be written; the process gets SIGXFSZ or EFBIG.
    const quoted = childArgs(dir, target, "once")
      .map((a) => `'${a}'`)
      .join(" ");
    const r = spawnSync("bash", ["-c", `ulimit -f 1024; exec '${BUN}' ${quoted}`], { encoding: "utf8" });
    expect(r.status === 0 && r.signal === null, "the write must fail under the limit").toBe(false);
    expect(sameBytes(new Uint8Array(readFileSync(target)), old)).toBe(true);
    // Without a limit the same child replaces it.
    const ok = spawnSync(BUN, childArgs(dir, target, "once"), { encoding: "utf8" });
    expect(ok.stderr).toBe("");
    expect(sameBytes(new Uint8Array(readFileSync(target)), await expectedFile(2))).toBe(true);
  }, 60_000);

  test("a folder that refuses new files leaves the old file (and the error says why)", async () => {
    const dir = setup();
    const target = join(dir, "m.safetensors");
    const old = await expectedFile(1, 1000);
    writeFileSync(target, old);
    // Root ignores permission bits, so there the refusal comes from a path that is not a folder.
    const isRoot = process.getuid?.() === 0;
    const locked = join(dir, "locked");
    if (!isRoot) {
      spawnSync("mkdir", [locked]);
      writeFileSync(join(locked, "m.safetensors"), old);
      chmodSync(locked, 0o555);
    }
    const blocked = isRoot ? join(target, "inside-a-file.safetensors") : join(locked, "m.safetensors");
    const { save } = await import("./files.js");
    await expect(save(blocked, { w: tensor([1, 2, 3], [3]) })).rejects.toThrow(/EACCES|ENOTDIR|EROFS/);
    if (!isRoot) {
      expect(sameBytes(new Uint8Array(readFileSync(join(locked, "m.safetensors"))), old)).toBe(true);
      chmodSync(locked, 0o755);
    }
    expect(sameBytes(new Uint8Array(readFileSync(target)), old)).toBe(true);
  });
});
