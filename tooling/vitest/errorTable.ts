// One check shared by the packages whose README keeps an error table: every `"ERR_..."` code that src/
// throws must have a row (`| \`ERR_...\``), and the README must say what the package guarantees on bad
// input. A new code without a row fails the package's readme test.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * Asserts that `readme` has a row for every error code in the sources under `src`, at least `minCodes`
 * codes exist (so a broken scan cannot pass), and the README matches each of `mentions`.
 */
export function expectErrorTable(
  src: string,
  readme: string,
  minCodes: number,
  mentions: readonly RegExp[],
): void {
  const text = readFileSync(readme, "utf8");
  const codes = new Set(sources(src).flatMap((f) => readFileSync(f, "utf8").match(/"ERR_[A-Z_]+"/g) ?? []));
  expect(codes.size).toBeGreaterThanOrEqual(minCodes);
  for (const quoted of codes) expect(text, quoted).toContain(`| \`${quoted.slice(1, -1)}\``);
  for (const m of mentions) expect(text).toMatch(m);
}
