// Declares a framework-free conformance suite (./runtime/suite.ts) as vitest tests: one `describe` for the
// suite (its setup in `beforeAll`), one per group, one `it` per check. Used by the op suite (./ops.ts) and
// the layer suite's test files (packages/layers/src/conformance/*.test.ts).
import { beforeAll, describe, it } from "vitest";
import type { Check, Suite } from "./runtime/suite.js";

/**
 * Declares `suite`'s checks, group by group in the order of `groups` (group → title); a check for which
 * `skip` is true is declared skipped (it shows in the report, and as a failure where skips must not pass).
 *
 * @example
 * describeSuite(layerConformanceSuite("cpu"), { values: "values", gradients: "gradients" });
 */
export function describeSuite<G extends string>(
  suite: Suite<G>,
  groups: Readonly<Record<G, string>>,
  skip: (check: Check<G>) => boolean = () => false,
): void {
  describe(suite.title, () => {
    beforeAll(suite.setup);
    for (const [group, title] of Object.entries(groups) as [G, string][]) {
      describe(title, () => {
        for (const c of suite.checks.filter((x) => x.group === group))
          (skip(c) ? it.skip : it)(c.name, c.run);
      });
    }
  });
}
