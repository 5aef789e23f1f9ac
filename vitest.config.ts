import { defineConfig } from "vitest/config";

// `@flux/source` first so tests run against src/ without building siblings. Listing conditions replaces
// Vite's defaults, so the usual ones are repeated after it.
const conditions = ["@flux/source", "module", "node", "import", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["node"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "tooling/**/*.test.ts", "apps/*/src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["tooling/vitest/globalSetup.ts"],
  },
});
