// Prints the demo's parsed command line as JSON (exit 2 and the message on a bad one): the args test runs
// it on Node, Bun and Deno to check that `node:util`'s parseArgs reads the flags alike on all three.
import process from "node:process";
import { DemoArgumentError, parseArgs } from "../src/args.mjs";

try {
  process.stdout.write(`${JSON.stringify(parseArgs(process.argv.slice(2)))}\n`);
} catch (e) {
  if (!(e instanceof DemoArgumentError)) throw e;
  process.stdout.write(`${e.message}\n`);
  process.exit(2);
}
