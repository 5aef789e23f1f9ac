// A tiny static server for dist/ on 127.0.0.1, with the cross-origin isolation headers (COOP + COEP) that
// browsers require before they give a page SharedArrayBuffer and wasm threads.
//   node apps/playground/scripts/serve.mjs [--port N]      (default 5173; 0 picks a free port)
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { distDir } from "./build.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".wasm": "application/wasm",
  // The IDX files are served as the gzip bytes they are (no Content-Encoding): the page un-gzips them.
  ".gz": "application/octet-stream",
};

/** Headers every response carries: cross-origin isolation, and no caching while developing. */
export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-store",
};

/**
 * Serves `root` on `host:port`; resolves to `{ server, url }` once listening.
 *
 * @example
 * const { url, server } = await serve(distDir, { port: 0 }); // url: "http://127.0.0.1:41234/"
 */
export function serve(root, { host = "127.0.0.1", port = 5173 } = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403, ISOLATION_HEADERS).end("forbidden");
      return;
    }
    let size;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error("not a file");
      size = st.size;
    } catch {
      res.writeHead(404, { ...ISOLATION_HEADERS, "content-type": "text/plain" }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, {
      ...ISOLATION_HEADERS,
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": size,
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      done({ server, url: `http://${host}:${actual}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--port");
  const port = i >= 0 ? Number(process.argv[i + 1]) : 5173;
  try {
    statSync(join(distDir, "index.html"));
  } catch {
    console.error(
      "[@flux-apps/playground] dist/ has no index.html: run npm run build -w @flux-apps/playground.",
    );
    process.exit(1);
  }
  const { url } = await serve(distDir, { port });
  console.log(`playground: serving ${distDir} at ${url}`);
}
