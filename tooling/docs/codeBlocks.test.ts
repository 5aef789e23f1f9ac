import { describe, expect, it } from "vitest";
import { blocksOf, extractCodeBlocks } from "./codeBlocks.js";

describe("extractCodeBlocks", () => {
  it("reads language, tags, line and code of each fence", () => {
    const page = "# T\n\n```ts gpu\nconst a = 1;\n\nconst b = 2;\n```\ntext\n```sh\nnpm test\n```\n";
    expect(extractCodeBlocks(page)).toEqual([
      { lang: "ts", tags: ["gpu"], line: 3, code: "const a = 1;\n\nconst b = 2;\n" },
      { lang: "sh", tags: [], line: 9, code: "npm test\n" },
    ]);
  });

  it("closes only at a fence of the same character, at least as long", () => {
    const page = "````md\n```ts\ninner\n```\n````\n~~~TS\nx\n~~~\n";
    const blocks = extractCodeBlocks(page);
    expect(blocks.map((b) => [b.lang, b.code])).toEqual([
      ["md", "```ts\ninner\n```\n"],
      ["ts", "x\n"],
    ]);
  });

  it("strips a list item's indentation and runs an unclosed block to the end", () => {
    const page = "1. item\n   ```ts\n   const x = 1;\n     nested();\n   ```\n```js\nopen\n";
    expect(extractCodeBlocks(page)).toEqual([
      { lang: "ts", tags: [], line: 2, code: "const x = 1;\n  nested();\n" },
      { lang: "js", tags: [], line: 6, code: "open\n" },
    ]);
  });

  it("has no blocks in plain text, and a fence without a language has lang ''", () => {
    expect(extractCodeBlocks("just `inline` code\n")).toEqual([]);
    expect(extractCodeBlocks("```\nx\n```\n")[0]?.lang).toBe("");
  });
});

describe("blocksOf", () => {
  it("keeps the blocks of the given languages, in order", () => {
    const blocks = extractCodeBlocks("```ts\na\n```\n```sh\nb\n```\n```typescript\nc\n```\n");
    expect(blocksOf(blocks, ["ts", "typescript"]).map((b) => b.code)).toEqual(["a\n", "c\n"]);
  });
});
