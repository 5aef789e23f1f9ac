// The demo's device line: `pickDevice` takes the reason from @flux/devices'
// selection report, never from a patched console.warn, and on a machine without a Vulkan driver nothing is
// printed at all (Dawn is not even loaded). Run in a child process (bundled with esbuild) so that stderr, which
// native code would write to, can be checked.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
let work: string;
let child: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "flux-demo-device-"));
  symlinkSync(join(repo, "node_modules"), join(work, "node_modules"), "dir");
  child = join(work, "child.mjs");
  await build({
    stdin: {
      contents:
        'import { pickDevice } from "./device.mjs";\n' +
        "const d = await pickDevice(process.argv[2]);\n" +
        "console.log(JSON.stringify({ name: d.name, adapter: d.adapter, reason: d.reason }));\n",
      resolveDir: fileURLToPath(new URL(".", import.meta.url)),
      loader: "js",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    conditions: ["@flux/source", "node"],
    external: ["webgpu", "koffi", "node:*"],
    outfile: child,
    logLevel: "error",
  });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pick(wanted: string, env: Record<string, string>) {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(clean)) if (/^(VK_|FLUX_)/.test(k)) delete clean[k];
  const r = spawnSync(process.execPath, [child, wanted], { env: { ...clean, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pickDevice(${wanted}) failed: ${r.stderr}`);
  return { picked: JSON.parse(r.stdout.trim().split("\n").at(-1)!), stderr: r.stderr };
}

describe("pickDevice", () => {
  it.skipIf(process.platform !== "linux")(
    "without a Vulkan driver: the CPU, the reason from the report, and nothing on stderr",
    () => {
      const { picked, stderr } = pick("gpu", { VK_ICD_FILENAMES: join(work, "none.json") });
      expect(picked.name).toBe("CPUDevice()");
      expect(picked.reason).toMatch(/Vulkan/);
      expect(stderr).toBe("");
    },
  );

  it("with every GPU hidden: says so", () => {
    const { picked, stderr } = pick("gpu", { FLUX_VISIBLE_DEVICES: "-1" });
    expect(picked.name).toBe("CPUDevice()");
    expect(picked.reason).toContain("FLUX_VISIBLE_DEVICES");
    expect(stderr).toBe("");
  });

  it("--device cpu: the CPU, because it was asked for", () => {
    expect(pick("cpu", {}).picked.reason).toBe("--device cpu");
  });
});
