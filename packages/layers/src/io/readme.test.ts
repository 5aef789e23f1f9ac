// The README's error table lists every code this package throws (and the reader's guarantees stay
// documented): a new code without a row fails here.
import { fileURLToPath } from "node:url";
import { test } from "vitest";
import { expectErrorTable } from "../../../../tooling/vitest/errorTable.js";

test("every error code thrown in src/ has a row in the README's error table", () => {
  const src = fileURLToPath(new URL("..", import.meta.url));
  expectErrorTable(src, fileURLToPath(new URL("../../README.md", import.meta.url)), 11, [
    /## On bad input/,
    /written atomically/i,
  ]);
});
