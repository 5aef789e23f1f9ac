import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AUGMENTATIONS, DemoArgumentError, HELP, parseArgs } from "./args.mjs";

describe("parseArgs", () => {
  it("fills in the defaults", () => {
    expect(parseArgs([])).toMatchObject({
      device: "gpu",
      epochs: 10,
      batchsize: 64,
      model: "mlp",
      lr: 0.002,
      schedule: "cosine",
      augment: [],
      help: false,
    });
    expect(parseArgs(["--model", "cnn"]).augment).toEqual(["flip"]);
  });

  it("reads --flag value and --flag=value, numbers as numbers", () => {
    const o = parseArgs([
      "--epochs",
      "3",
      "--batchsize=128",
      "--model",
      "cnn",
      "--device=cpu",
      "--lr",
      "0.01",
      "--schedule=onecycle",
      "--augment",
      "flip,erase",
    ]);
    expect(o).toMatchObject({
      epochs: 3,
      batchsize: 128,
      model: "cnn",
      device: "cpu",
      lr: 0.01,
      schedule: "onecycle",
      augment: ["flip", "erase"],
    });
    expect(parseArgs(["--augment=none"]).augment).toEqual([]);
  });

  it("takes --data as a path and --help (or -h) as a switch", () => {
    expect(parseArgs(["--data", "/x/fm", "--help"])).toMatchObject({ data: "/x/fm", help: true });
    expect(parseArgs(["-h"]).help).toBe(true);
  });

  it("rejects unknown flags, bad choices, bad numbers, missing values and positionals", () => {
    for (const argv of [
      ["--epoch", "2"],
      ["--device", "cuda"],
      ["--epochs", "0"],
      ["--epochs", ""],
      ["--batchsize", "1.5"],
      ["--lr"],
      ["--lr", "-1"],
      ["--schedule", "linear"],
      ["--augment", "crop,rotate"],
      ["--help=yes"],
      ["cnn"],
    ]) {
      expect(() => parseArgs(argv), argv.join(" ")).toThrow(DemoArgumentError);
    }
  });

  it("documents every flag and augmentation in the help text", () => {
    for (const flag of [
      "--device",
      "--epochs",
      "--batchsize",
      "--model",
      "--lr",
      "--schedule",
      "--augment",
      "--data",
      "--out",
      "--seed",
      "--help",
    ])
      expect(HELP).toContain(flag);
    for (const a of AUGMENTATIONS) expect(HELP).toContain(a);
  });
});

// node:util's parseArgs on all three runtimes: the same flags give the same options, the same bad flag fails.
const root = fileURLToPath(new URL("../../..", import.meta.url));
const script = fileURLToPath(new URL("../scripts/print-args.mjs", import.meta.url));
const RUNTIMES: [string, string, string[]][] = [
  ["node", process.execPath, []],
  ["bun", `${root}node_modules/.bin/bun`, []],
  ["deno", `${root}node_modules/.bin/deno`, ["run", "--quiet"]],
];

describe.each(RUNTIMES)("the demo's flags on %s", (name, cmd, pre) => {
  const run = (...argv: string[]) =>
    spawnSync(cmd, [...pre, script, ...argv], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });

  it.skipIf(!existsSync(cmd))(`parses them as Node does (${name})`, () => {
    const argv = ["--model=cnn", "--epochs", "1", "--augment", "crop", "--lr=0.003", "-h"];
    const r = run(...argv);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(parseArgs(argv));
    const bad = run("--epoch", "2");
    expect(bad.status).toBe(2);
    expect(bad.stdout).toMatch(/--epoch/);
  });
});
