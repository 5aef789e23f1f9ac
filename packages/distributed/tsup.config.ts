import { defineFluxPackage } from "../../tooling/tsup.js";

// Three entries: the library, the worker entry that launchThreads starts (found beside the library's
// chunks at run time), and the `flux-distributed` CLI.
export default defineFluxPackage({
  entry: {
    index: "src/index.ts",
    "flux-distributed-worker": "src/threads/workerEntry.ts",
    cli: "src/cli.ts",
  },
});
