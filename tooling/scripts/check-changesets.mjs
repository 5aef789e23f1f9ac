// Every changeset must parse: a frontmatter block of `"@flux/<name>": major|minor|patch` lines naming a real
// package, then a summary for users. A formatter once rewrote the frontmatter into a heading; changesets then
// refuses to version anything, so CI checks it here.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./lib/exec.mjs";

const dir = join(repoRoot, ".changeset");
const packages = new Set(
  readdirSync(join(repoRoot, "packages")).map(
    (p) => JSON.parse(readFileSync(join(repoRoot, "packages", p, "package.json"), "utf8")).name,
  ),
);
const problems = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md")) {
  const text = readFileSync(join(dir, file), "utf8");
  const m = text.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/);
  if (!m) {
    problems.push(`${file}: no frontmatter block (--- ... ---) at the top`);
    continue;
  }
  const lines = m[1].split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) problems.push(`${file}: the frontmatter names no package`);
  for (const line of lines) {
    const l = line.match(/^["']?(@[\w-]+\/[\w-]+)["']?:\s*(major|minor|patch)\s*$/);
    if (!l) problems.push(`${file}: "${line}" is not \`"@flux/<name>": major|minor|patch\``);
    else if (!packages.has(l[1])) problems.push(`${file}: ${l[1]} is not a package of this repo`);
  }
  if (m[2].trim() === "") problems.push(`${file}: no summary for users after the frontmatter`);
}
if (problems.length) {
  console.error(
    `[check-changesets] ${problems.length} problem(s); fix the files or recreate them with \`npx changeset\`:`,
  );
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log("[check-changesets] every changeset parses");
