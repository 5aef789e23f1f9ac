// Launched as `flux-distributed --threads 2 test/argv.mjs --data x --epochs 2`: every rank must see the script's
// own arguments in process.argv.slice(2), as under mpirun. Prints one line per rank for the launcher to check.
import { detectBackend, initialize, localRank } from "../dist/index.js";

const b = await initialize(detectBackend());
console.log(`argv rank ${localRank(b)}: ${JSON.stringify(globalThis.process.argv.slice(2))}`);
