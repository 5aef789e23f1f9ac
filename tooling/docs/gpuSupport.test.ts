// docs/gpu-support.md, executed: every TypeScript block runs, in page order (see ./runMarkdownBlocks.ts).
import { describeMarkdownBlocks } from "./runMarkdownBlocks.js";

describeMarkdownBlocks("docs/gpu-support.md");
