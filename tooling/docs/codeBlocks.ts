// Fenced code blocks of a Markdown page, so that docs can be executed by tests and cannot rot.

/** One fenced code block: its language, the extra words of its info string, and where it starts. */
export interface CodeBlock {
  /** The first word of the info string (`ts` in "```ts gpu"), lower-cased; "" when there is none. */
  readonly lang: string;
  /** The other words of the info string (`["gpu"]` in "```ts gpu"). GitHub shows only the first. */
  readonly tags: readonly string[];
  /** 1-based line of the opening fence in the page, for error messages. */
  readonly line: number;
  /** The block's text, with the fence's indentation removed, ending in "\n". */
  readonly code: string;
}

const OPEN = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/;

/**
 * Every fenced code block of `markdown`, in page order (CommonMark fences: three or more backticks or
 * tildes; a block closes at a fence of the same character at least as long). Indented fences (inside
 * list items) are read too, their indentation stripped from each line. An unclosed block runs to the end
 * of the page, as CommonMark says.
 *
 * @example
 * extractCodeBlocks("```ts gpu\nconst x = 1;\n```\n");
 * // [{ lang: "ts", tags: ["gpu"], line: 1, code: "const x = 1;\n" }]
 */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.replace(/\r?\n$/, "").split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i] ?? "");
    if (open === null) continue;
    const indent = open[1]?.length ?? 0;
    const fence = open[2] ?? "```";
    const [lang = "", ...tags] = (open[3] ?? "").trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? "";
      const close = line.trim();
      if (close.startsWith(fence[0]!.repeat(fence.length)) && /^(`+|~+)$/.test(close)) break;
      body.push(stripIndent(line, indent));
    }
    blocks.push({ lang: lang.toLowerCase(), tags, line: i + 1, code: body.map((l) => `${l}\n`).join("") });
    i = j;
  }
  return blocks;
}

/**
 * The blocks whose language is one of `langs` (exact, lower-case names: pass `["ts", "typescript"]` for both).
 *
 * @example
 * blocksOf(extractCodeBlocks(page), ["ts", "typescript"]);
 */
export function blocksOf(blocks: readonly CodeBlock[], langs: readonly string[]): CodeBlock[] {
  return blocks.filter((b) => langs.includes(b.lang));
}

// Removes up to `n` leading spaces: a list item's code fence indents its content by the same amount.
function stripIndent(line: string, n: number): string {
  let k = 0;
  while (k < n && line[k] === " ") k++;
  return line.slice(k);
}
