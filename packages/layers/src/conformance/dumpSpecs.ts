// Prints every conformance case's tensor specs as JSON, for ./make_fixtures.py:
//   npx bun --conditions=@flux/source packages/layers/src/conformance/dumpSpecs.ts \
//     | python3 packages/layers/src/conformance/make_fixtures.py > packages/layers/src/conformance/fixtures.ts
//   npx biome format --write packages/layers/src/conformance/fixtures.ts
import { LAYER_CASES } from "./cases.js";

const specs = LAYER_CASES.filter((c) => c.expected === undefined).map((c) => ({
  name: c.name,
  tensors: c.tensors,
}));
console.log(JSON.stringify(specs));
