// The README's error table lists every code this package throws (and the reader's guarantees stay
// documented): a new code without a row fails here.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const SRC = fileURLToPath(new URL("..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

test("every error code thrown in src/ has a row in the README's error table", () => {
  const readme = readFileSync(join(SRC, "../README.md"), "utf8");
  const codes = new Set(sources(SRC).flatMap((f) => readFileSync(f, "utf8").match(/"ERR_[A-Z_]+"/g) ?? []));
  expect(codes.size).toBeGreaterThan(10);
  for (const quoted of codes) expect(readme, quoted).toContain(`| \`${quoted.slice(1, -1)}\``);
  expect(readme).toMatch(/## On bad input/);
  expect(readme).toMatch(/written atomically/i);
});
