// The device choice as a user's process meets it: on a machine without a Vulkan
// driver Dawn is never loaded, so nothing of its native stderr reaches the terminal, and the report names
// what is missing; FLUX_VISIBLE_DEVICES=-1 loads nothing; Node without the `webgpu` package is told to
// install it (and only then); Deno runs without `-A` (no environment permission needed for a randn).
// The child (selection.fixture.ts) is bundled once with esbuild so that node, bun and deno run our TypeScript.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SelectionReport } from "./report.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const bin = (name: string) => join(repo, "node_modules/.bin", name);
let work: string;
/** A bundle beside a node_modules link (so `webgpu` resolves), and one without (so it does not). */
let withPackages: string;
let withoutPackages: string;
let forDeno: string;

interface ChildOutput {
  randn: number[];
  debugLeaks: string | null;
  device: string;
  report: SelectionReport;
  dawnLoaded?: boolean;
}

async function bundle(outfile: string, conditions: string[], platform: "node" | "neutral"): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL("./selection.fixture.ts", import.meta.url))],
    bundle: true,
    platform,
    format: "esm",
    target: "es2022",
    conditions,
    mainFields: ["module", "main"],
    external: ["webgpu", "koffi", "node:*"],
    outfile,
    logLevel: "error",
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "flux-devices-selection-"));
  mkdirSync(join(work, "with"));
  mkdirSync(join(work, "without"));
  symlinkSync(join(repo, "node_modules"), join(work, "with", "node_modules"), "dir");
  withPackages = join(work, "with", "child.mjs");
  withoutPackages = join(work, "without", "child.mjs");
  forDeno = join(work, "without", "deno.mjs");
  await bundle(withPackages, ["@flux/source", "node"], "node");
  await bundle(withoutPackages, ["@flux/source", "node"], "node");
  await bundle(forDeno, ["@flux/source", "deno"], "neutral");
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
): { out: ChildOutput; stderr: string } {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(clean)) if (/^(VK_|FLUX_)/.test(k)) delete clean[k];
  const r = spawnSync(cmd, args, { cwd: work, env: { ...clean, ...env }, encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  return { out: JSON.parse(line) as ChildOutput, stderr: r.stderr };
}

const DAWN_NOISE = /vkCreateInstance|VK_ERROR|VulkanError\.cpp|dawn\/native|Warning: /;
const linux = process.platform === "linux";

describe.skipIf(!linux)("a Linux machine without a Vulkan driver", () => {
  // The loader is told where the drivers are, and nothing is there: the situation of a GPU-less machine.
  const noDriver = {
    VK_ICD_FILENAMES: join(tmpdir(), "no-such-driver", "icd.json"),
    XDG_RUNTIME_DIR: "/tmp",
  };

  it("node: never loads Dawn, prints nothing of it, and the report names the missing driver", () => {
    const { out, stderr } = run(process.execPath, [withPackages], noDriver);
    expect(out.dawnLoaded).toBe(false);
    expect(stderr).not.toMatch(DAWN_NOISE);
    expect(out.device).toBe("CPUDevice()");
    expect(["no-vulkan-driver", "no-vulkan-loader"]).toContain(out.report.code);
    expect(out.report.backend).toBe("cpu");
    expect(out.report.runtime).toBe("node");
    if (out.report.code === "no-vulkan-driver") {
      expect(out.report.reason).toContain("no Vulkan driver is installed");
      expect(out.report.hint).toContain("mesa-vulkan-drivers");
    }
    // The package is installed, so the advice never says to install it.
    expect(`${out.report.hint} ${stderr}`).not.toContain("npm i webgpu");
    // Our one warning, once.
    expect(stderr.match(/\[@flux\/devices\]/g)).toHaveLength(1);
  });

  it("node with warn: false prints nothing at all; the report still says why", () => {
    const { out, stderr } = run(process.execPath, [withPackages, "quiet"], noDriver);
    expect(stderr).toBe("");
    expect(out.report.reason).not.toBe("");
  });

  it("bun: nothing of Dawn on stderr either", () => {
    const { out, stderr } = run(bin("bun"), ["--no-install", withPackages, "quiet"], noDriver);
    expect(stderr).not.toMatch(DAWN_NOISE);
    expect(out.report.runtime).toBe("bun");
    expect(["no-vulkan-driver", "no-vulkan-loader"]).toContain(out.report.code);
  });
});

describe("devices hidden with FLUX_VISIBLE_DEVICES=-1", () => {
  it("loads nothing native (not even where a driver works) and says why", () => {
    const { out, stderr } = run(process.execPath, [withPackages, "quiet"], { FLUX_VISIBLE_DEVICES: "-1" });
    expect(out.dawnLoaded).toBe(false);
    expect(stderr).toBe("");
    expect(out.report.code).toBe("hidden");
    expect(out.report.hint).toContain("FLUX_VISIBLE_DEVICES");
  });
});

describe("node without the `webgpu` package", () => {
  it("says to install it: the one case where that is the advice", () => {
    const { out, stderr } = run(process.execPath, [withoutPackages], {});
    expect(out.report.code).toBe("no-webgpu-package");
    expect(out.report.hint).toContain("npm i webgpu");
    expect(stderr).toContain("npm i webgpu");
    expect(stderr).not.toMatch(DAWN_NOISE);
  });
});

describe("deno without -A", () => {
  it("runs randn and the selection with no permission flag at all", () => {
    const { out, stderr } = run(bin("deno"), ["run", "--quiet", forDeno, "quiet"], {
      FLUX_DEBUG_LEAKS: "1",
      NO_COLOR: "1",
    });
    expect(stderr).not.toContain("NotCapable");
    expect(out.randn).toEqual([2, 3]);
    // The variable is set, but reading it needs --allow-env: it reads as unset instead of throwing.
    expect(out.debugLeaks).toBeNull();
    expect(out.report.runtime).toBe("deno");
    expect(["cpu", "webgpu"]).toContain(out.report.backend);
    // Deno's built-in WebGPU falls back to llvmpipe on a machine without a GPU: passed over, said why.
    for (const a of out.report.adapters.filter((x) => /llvmpipe|swiftshader/i.test(x.name)))
      expect(a.kind).toBe("software");
    if (out.report.adapters.every((a) => a.kind === "software")) expect(out.report.backend).toBe("cpu");
  });

  it("reads a variable it was granted (--allow-env=FLUX_DEBUG_LEAKS)", () => {
    const { out } = run(bin("deno"), ["run", "--quiet", "--allow-env=FLUX_DEBUG_LEAKS", forDeno, "quiet"], {
      FLUX_DEBUG_LEAKS: "1",
    });
    expect(out.debugLeaks).toBe("1");
  });
});
