// Type-checks the TypeScript blocks of Markdown pages, as a user who pastes them into a strict project would:
// running them (runMarkdownBlocks.ts) does not catch a block that only works because vitest strips types.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { blocksOf, extractCodeBlocks } from "./codeBlocks.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** One compiler message about a block, located in the page (not in the extracted file). */
export interface BlockDiagnostic {
  /** The page, relative to the repository root. */
  readonly page: string;
  /** 1-based line in the page. */
  readonly line: number;
  /** TypeScript's message, flattened to one string (with its `TSxxxx` code). */
  readonly message: string;
}

/**
 * Type-checks every ```ts / ```typescript block of the pages (paths relative to the repository root) with
 * the repository's compiler options (tooling/tsconfig/base.json: strict, bundler resolution, the
 * `@flux/source` condition, so `@flux/*` resolves to the packages' sources) and returns the diagnostics of
 * the blocks, mapped back to page lines. Each block is its own module, as when the blocks run.
 *
 * The blocks are written under a fresh directory in test-artifacts/ (inside the repository so that
 * `@flux/*` resolves through its node_modules), removed afterwards.
 *
 * @example
 * expect(typecheckMarkdownBlocks(["README.md"])).toEqual([]);
 */
export function typecheckMarkdownBlocks(pages: readonly string[]): BlockDiagnostic[] {
  const parent = join(repoRoot, "test-artifacts");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "docs-typecheck-"));
  try {
    // file → where its first block line sits in the page (the file has one header line above the block).
    const origins = new Map<string, { page: string; firstLine: number }>();
    for (const page of pages) {
      const blocks = blocksOf(extractCodeBlocks(readFileSync(join(repoRoot, page), "utf8")), [
        "ts",
        "typescript",
      ]);
      const pageDir = join(dir, basename(page, ".md"));
      mkdirSync(pageDir, { recursive: true });
      blocks.forEach((block, k) => {
        const file = join(pageDir, `block-${String(k + 1).padStart(2, "0")}.ts`);
        // `export {}` keeps a block without imports a module (its names stay its own), as when it runs.
        writeFileSync(file, `export {}; // ${page}, line ${block.line}\n${block.code}`);
        origins.set(ts.sys.resolvePath(file), { page, firstLine: block.line + 1 });
      });
    }
    const program = ts.createProgram([...origins.keys()], compilerOptions());
    return ts.getPreEmitDiagnostics(program).flatMap((d) => locate(d, origins));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(repoRoot, "tooling/tsconfig/base.json");
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, join(repoRoot, "tooling/tsconfig"));
  return { ...parsed.options, noEmit: true };
}

// A diagnostic in a block file, mapped to its page line; one elsewhere (in a package) is reported as is,
// since a block is what pulled that file in.
function locate(
  d: ts.Diagnostic,
  origins: ReadonlyMap<string, { page: string; firstLine: number }>,
): BlockDiagnostic[] {
  const message = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  if (d.file === undefined) return [{ page: "(global)", line: 0, message }];
  const origin = origins.get(ts.sys.resolvePath(d.file.fileName));
  const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
  if (origin === undefined) return [{ page: d.file.fileName, line: line + 1, message }];
  return [{ page: origin.page, line: origin.firstLine + line - 1, message }];
}
