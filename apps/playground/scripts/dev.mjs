// `npm run dev -w @flux-apps/playground`: bundles the page, rebuilds it on every change under src/, and
// serves dist/ on 127.0.0.1 (COOP/COEP set). Reload the tab after an edit. Static files (index.html,
// public/) are copied at start: restart after changing them.
//   node apps/playground/scripts/dev.mjs [--port N]      (default 5173)
import { distDir, watchPlayground } from "./build.mjs";
import { serve } from "./serve.mjs";

const i = process.argv.indexOf("--port");
const port = i >= 0 ? Number(process.argv[i + 1]) : 5173;
await watchPlayground();
const { url } = await serve(distDir, { port });
console.log(`playground: ${url} (rebuilding on change; Ctrl-C stops)`);
