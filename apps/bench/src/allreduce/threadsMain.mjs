// Starts rank.mjs on N worker threads (ThreadsBackend) with @flux/distributed's launchThreads.
//
// usage: <runtime> threadsMain.mjs N <url of the built @flux/distributed> [--tree K] BYTES:WARMUP:REPS [...]

const [n, distUrl, ...specs] = process.argv.slice(2);
const { launchThreads } = await import(distUrl);
await launchThreads(Number(n), new URL("./rank.mjs", import.meta.url), { argv: [distUrl, ...specs] });
