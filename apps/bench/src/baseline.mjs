// `--baseline <ref>`: the previous version of @flux/kernels (with its @flux/functors, layers and optim, which
// the training cells use), built in a temporary git worktree and loaded next to the current one, so "vs
// baseline" ratios come from the same process, machine and minute.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { BenchError } from "./errors.mjs";

/**
 * @typedef {object} Baseline
 * @property {string} ref as given
 * @property {string} sha the commit it names
 * @property {string} dir the worktree
 * @property {string} entry absolute path of its built packages/kernels/dist/index.js
 * @property {Record<BaselinePackage, string>} entries each package's built dist/index.js (a package that
 *   ref lacks or that failed to build is a path that does not exist: importing it fails, and the cells that
 *   need it report that)
 * @property {() => void} cleanup removes the worktree (a no-op when it is kept)
 */

/** @typedef {"functors" | "kernels" | "layers" | "optim"} BaselinePackage */

/** The packages the bench imports from a baseline, in build order (kernels first: it is required). */
export const BASELINE_PACKAGES = /** @type {const} */ (["kernels", "functors", "layers", "optim"]);

/**
 * Runs git in `cwd` and returns trimmed stdout, or null when git fails.
 *
 * @param {string} cwd
 * @param {string[]} args
 * @returns {string | null}
 */
function git(cwd, args) {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * The commit `ref` names, after checking that it holds a kernels package; throws a `BenchError` when not.
 *
 * @param {string} repoRoot
 * @param {string} ref
 * @returns {string} the full commit sha
 * @example resolveBaselineRef(root, "HEAD~3")
 */
export function resolveBaselineRef(repoRoot, ref) {
  const sha = git(repoRoot, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!sha) {
    throw new BenchError(
      "BAD_REF",
      `--baseline: '${ref}' is not a commit in ${repoRoot}; give a branch, tag or commit (git log --oneline lists them)`,
    );
  }
  for (const file of ["packages/kernels/package.json", "packages/kernels/src/index.ts"]) {
    if (git(repoRoot, ["cat-file", "-e", `${sha}:${file}`]) === null) {
      throw new BenchError(
        "NO_BASELINE_KERNELS",
        `--baseline: '${ref}' (${sha.slice(0, 10)}) has no ${file}, so there is no @flux/kernels to compare with; pick a later ref (git log --oneline -- packages/kernels)`,
      );
    }
  }
  return sha;
}

/**
 * The environment for the nested build: no npm_* variables of an outer `npm run` (they redirect npm).
 *
 * @param {string} repoRoot
 * @returns {NodeJS.ProcessEnv}
 */
function buildEnv(repoRoot) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_")));
  return {
    ...env,
    TURBO_TELEMETRY_DISABLED: "1",
    PATH: [join(repoRoot, "node_modules", ".bin"), process.env.PATH].join(delimiter),
  };
}

/**
 * Runs a command, resolving to its exit code and the tail of its output.
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {string} cwd
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ code: number, out: string }>}
 */
function run(cmd, args, cwd, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const keep = (/** @type {Buffer} */ d) => (out = (out + d).slice(-4000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (e) => resolve({ code: 127, out: e.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

/**
 * A node_modules for the worktree: every entry of the repository's node_modules linked (tsup,
 * assemblyscript, koffi, ...), except `@flux`, whose packages link to the WORKTREE's packages, so that the
 * baseline's layers and optim import the baseline's kernels (not the current ones).
 *
 * @param {string} repoRoot
 * @param {string} dir the worktree
 */
function linkNodeModules(repoRoot, dir) {
  const from = join(repoRoot, "node_modules");
  const to = join(dir, "node_modules");
  mkdirSync(join(to, "@flux"), { recursive: true });
  for (const name of readdirSync(from)) {
    if (name !== "@flux") symlinkSync(join(from, name), join(to, name));
  }
  for (const pkg of readdirSync(join(dir, "packages"))) {
    symlinkSync(join(dir, "packages", pkg), join(to, "@flux", pkg), "dir");
  }
}

/**
 * Checks out `ref`'s tree into a worktree under the OS temp dir, gives it a node_modules (see
 * `linkNodeModules`) and runs the `build` script of its kernels, functors, layers and optim there (only
 * kernels must build: without the others, the training cells report an error for the baseline).
 *
 * A worktree left by `--keep-baseline` for the same commit is reused when its dist exists.
 *
 * @param {string} repoRoot
 * @param {string} ref
 * @param {{ keep?: boolean, log?: (msg: string) => void }} [opts]
 * @returns {Promise<Baseline>}
 * @example const b = await prepareBaseline(root, "main~1"); const K = await import(pathToFileURL(b.entry).href);
 */
export async function prepareBaseline(repoRoot, ref, { keep = false, log = () => {} } = {}) {
  const sha = resolveBaselineRef(repoRoot, ref);
  const dir = join(tmpdir(), `flux-bench-baseline-${sha.slice(0, 12)}`);
  const entry = join(dir, "packages/kernels/dist/index.js");
  const entries = /** @type {Record<BaselinePackage, string>} */ (
    Object.fromEntries(BASELINE_PACKAGES.map((p) => [p, join(dir, `packages/${p}/dist/index.js`)]))
  );
  const removeWorktree = () => {
    git(repoRoot, ["worktree", "remove", "--force", dir]);
    rmSync(dir, { recursive: true, force: true });
    git(repoRoot, ["worktree", "prune"]);
  };
  const cleanup = () => {
    if (!keep) removeWorktree();
  };
  if (existsSync(entry)) {
    log(`baseline: reusing ${dir}`);
    return { ref, sha, dir, entry, entries, cleanup };
  }
  removeWorktree(); // a half-made worktree from an interrupted run: start again
  log(`baseline: git worktree add ${dir} ${sha.slice(0, 10)}`);
  const add = spawnSync("git", ["worktree", "add", "--detach", dir, sha], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  if (add.status !== 0) {
    throw new BenchError(
      "BASELINE_BUILD_FAILED",
      `--baseline: git worktree add failed: ${add.stderr.trim()}`,
    );
  }
  try {
    linkNodeModules(repoRoot, dir);
    log("baseline: building packages/kernels (npm run build)");
    const build = await run("npm", ["run", "build"], join(dir, "packages/kernels"), buildEnv(repoRoot));
    if (build.code !== 0 || !existsSync(entry)) {
      throw new BenchError(
        "BASELINE_BUILD_FAILED",
        `--baseline: building packages/kernels at ${ref} (${sha.slice(0, 10)}) failed (exit ${build.code}); its output ends:\n${build.out.trim()}\nTry building it by hand in ${dir}, or pick another ref`,
      );
    }
    for (const pkg of BASELINE_PACKAGES.filter((p) => p !== "kernels")) {
      if (!existsSync(join(dir, `packages/${pkg}/package.json`))) continue;
      log(`baseline: building packages/${pkg} (npm run build)`);
      const r = await run("npm", ["run", "build"], join(dir, `packages/${pkg}`), buildEnv(repoRoot));
      if (r.code !== 0)
        log(`baseline: packages/${pkg} did not build (exit ${r.code}); its cells will report it`);
    }
  } catch (e) {
    removeWorktree();
    throw e;
  }
  return { ref, sha, dir, entry, entries, cleanup };
}
