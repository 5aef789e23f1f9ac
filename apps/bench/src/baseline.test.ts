import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveBaselineRef } from "./baseline.mjs";

// A throwaway repository: commit 1 has no kernels package, commit 2 adds one.
let repo: string;
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo,
    encoding: "utf8",
  }).trim();

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "flux-bench-baseline-test-"));
  git("init", "-q");
  writeFileSync(join(repo, "README.md"), "x\n");
  git("add", ".");
  git("commit", "-q", "-m", "no kernels");
  git("tag", "old");
  mkdirSync(join(repo, "packages/kernels/src"), { recursive: true });
  writeFileSync(join(repo, "packages/kernels/package.json"), "{}\n");
  writeFileSync(join(repo, "packages/kernels/src/index.ts"), "export const VERSION = '0';\n");
  git("add", ".");
  git("commit", "-q", "-m", "kernels");
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("resolveBaselineRef", () => {
  it("returns the commit of a ref that has a kernels package", () => {
    expect(resolveBaselineRef(repo, "HEAD")).toBe(git("rev-parse", "HEAD"));
  });

  it("fails clearly for a ref without packages/kernels", () => {
    expect(() => resolveBaselineRef(repo, "old")).toThrowError(
      expect.objectContaining({
        code: "NO_BASELINE_KERNELS",
        message: expect.stringContaining("has no packages/kernels/package.json"),
      }),
    );
  });

  it("fails clearly for a ref that does not exist", () => {
    expect(() => resolveBaselineRef(repo, "no-such-branch")).toThrowError(
      expect.objectContaining({ code: "BAD_REF" }),
    );
  });
});
