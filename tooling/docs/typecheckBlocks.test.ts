// The docs' TypeScript blocks type-check under the repository's strict options: what a user pastes into a
// strict project compiles as it stands, without casts (running them, as gpuSupport/readme tests do, strips
// types and cannot tell).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { typecheckMarkdownBlocks } from "./typecheckBlocks.js";

const PAGES = ["README.md", "docs/gpu-support.md"];

describe("docs blocks type-check", () => {
  it(`${PAGES.join(", ")}: no TypeScript diagnostics`, () => {
    const diagnostics = typecheckMarkdownBlocks(PAGES).map((d) => `${d.page}:${d.line} ${d.message}`);
    expect(diagnostics).toEqual([]);
  }, 120_000); // one compiler program over the packages' sources: ~10 s here, more on a busy machine

  it("reports a typing mistake in a block, at its page line", () => {
    // A positive control: the checker must be able to fail (a page written to a temp file of its own).
    const diagnostics = typecheckMarkdownBlocks([controlPage()]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 4 });
    expect(diagnostics[0]?.message).toMatch(/^TS2322/);
  }, 120_000);
});

// A one-block page with a type error on its line 4, written under test-artifacts/ (gitignored).
function controlPage(): string {
  const relative = "test-artifacts/docs-typecheck-control/control.md";
  const path = join(fileURLToPath(new URL("../..", import.meta.url)), relative);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, '# Control\n\n```ts\nconst n: number = "not a number";\n```\n');
  return relative;
}
