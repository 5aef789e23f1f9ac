// Executes every TypeScript block of a Markdown page as a vitest test, so the page cannot drift from the code.
//
// How a page is run:
// - Each ```ts block becomes its own module file under test-artifacts/docs-blocks/<page>/ (gitignored, inside
//   the repository so that `@flux/*` imports resolve to the packages' sources through the @flux/source
//   condition, as every other test does) and is imported, in page order, one test per block. Blocks are
//   self-contained (their own imports); they share only what a real process shares: the packages' module
//   state (the chosen GPU, the preference) and the working directory.
// - The working directory is a fresh temporary project (an empty package.json), so a block that saves a
//   model or sets the GPU preference writes there, never into the repository.
// - A block tagged `gpu` ("```ts gpu"; GitHub still shows it as TypeScript) must run GPU kernels when WebGPU
//   works here: the test counts the WebGPU backend's dispatches around it, so a block that silently fell
//   back to the CPU fails. With FLUX_REQUIRE_WEBGPU=1 (CI) a machine without a usable adapter fails the
//   page; without it the blocks still run, on the CPU fallback the page describes, after one warning.
// - No block is skipped. A block that shows an error asserts it itself (node:assert's `rejects`/`throws`).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDevice, peekBackend } from "@flux/kernels";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webgpuAvailableForTests } from "../../packages/kernels/src/webgpu/testing.js";
import { blocksOf, extractCodeBlocks } from "./codeBlocks.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** The info-string word that marks a block which must compute on the GPU when one works. */
export const GPU_TAG = "gpu";

/** Options of `describeMarkdownBlocks`. */
export interface MarkdownBlocksOptions {
  /**
   * Runs as one more test after the last block, in the same process and working directory: check what the
   * blocks left behind (a saved file, say). `projectDir` is that directory.
   */
  readonly afterBlocks?: (projectDir: string) => Promise<void> | void;
}

/**
 * Registers one vitest test per ```ts / ```typescript block of the page at `pagePath` (relative to the
 * repository root), run in page order in one process. See the header of this file for the rules.
 *
 * @example
 * // tooling/docs/gpuSupport.test.ts
 * describeMarkdownBlocks("docs/gpu-support.md");
 */
export function describeMarkdownBlocks(pagePath: string, options: MarkdownBlocksOptions = {}): void {
  const page = readFileSync(join(repoRoot, pagePath), "utf8");
  const blocks = blocksOf(extractCodeBlocks(page), ["ts", "typescript"]);
  const outDir = join(repoRoot, "test-artifacts/docs-blocks", basename(pagePath, ".md"));

  describe(`${pagePath}: every TypeScript block runs`, () => {
    const startDir = process.cwd();
    let projectDir = "";
    let webgpu = false;

    beforeAll(() => {
      rmSync(outDir, { recursive: true, force: true });
      mkdirSync(outDir, { recursive: true });
      projectDir = mkdtempSync(join(tmpdir(), "flux-docs-"));
      writeFileSync(join(projectDir, "package.json"), '{ "name": "docs-example", "private": true }\n');
      process.chdir(projectDir);
    });

    afterAll(() => {
      process.chdir(startDir);
      if (projectDir !== "") rmSync(projectDir, { recursive: true, force: true });
    });

    it("has TypeScript blocks", () => {
      expect(blocks.length).toBeGreaterThan(0);
    });

    // A test of its own (not a hook) so that a missing adapter under FLUX_REQUIRE_WEBGPU=1 reads as a failure.
    it("WebGPU works here, or may be missing (FLUX_REQUIRE_WEBGPU unset)", async () => {
      // Without WebGPU (and FLUX_REQUIRE_WEBGPU unset) "gpu" blocks still run, on the CPU fallback.
      webgpu = await webgpuAvailableForTests({ label: "[docs]" });
    });

    blocks.forEach((block, k) => {
      const gpuBlock = block.tags.includes(GPU_TAG);
      const name = `block ${k + 1} (line ${block.line})${gpuBlock ? " [gpu]" : ""}`;
      it(name, async () => {
        const file = join(outDir, `block-${String(k + 1).padStart(2, "0")}-line-${block.line}.ts`);
        writeFileSync(file, `// ${pagePath}, line ${block.line}\n${block.code}`);
        const before = webgpuDispatches();
        await import(/* @vite-ignore */ file);
        if (gpuBlock && webgpu) {
          expect(
            webgpuDispatches(),
            `${pagePath}:${block.line} is tagged "${GPU_TAG}" but ran no WebGPU kernel`,
          ).toBeGreaterThan(before);
        }
      });
    });

    const { afterBlocks } = options;
    if (afterBlocks !== undefined) it("what the blocks left behind", () => afterBlocks(projectDir));
  });
}

// Kernel dispatches so far on the first WebGPU adapter (0 before the backend is created). Read through the
// backend's `stats()` by shape, not by class, so a second copy of the kernels module cannot fool it.
function webgpuDispatches(): number {
  const backend = peekBackend(parseDevice("webgpu:0")) as
    | { stats?: () => { dispatches: number } }
    | undefined;
  return backend?.stats?.().dispatches ?? 0;
}
