// SVG → PNG only where a converter is installed (rsvg-convert from librsvg, or ImageMagick's convert);
// the demo never needs one, it just adds PNGs when it can.
import { spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import process from "node:process";

/** @type {{ name: string; args: (svg: string, png: string) => string[] }[]} */
const CONVERTERS = [
  { name: "rsvg-convert", args: (svg, png) => ["-o", png, svg] },
  { name: "magick", args: (svg, png) => [svg, png] },
  { name: "convert", args: (svg, png) => [svg, png] },
];

/** @param {string} name */
function present(name) {
  const r = spawnSync(name, ["--version"], { stdio: "ignore" });
  return !r.error && r.status === 0;
}

/**
 * Converts `svgPath` to `pngPath` with the first converter found; returns its name, or null if none is.
 * The converter writes a temporary file beside `pngPath`, renamed over it once complete (atomic).
 *
 * @example
 * svgToPng("out/training.svg", "out/training.png"); // "rsvg-convert" or null
 *
 * @param {string} svgPath
 * @param {string} pngPath
 * @returns {string | null}
 */
export function svgToPng(svgPath, pngPath) {
  const tmp = join(dirname(pngPath), `.${basename(pngPath, ".png")}.${process.pid}.tmp.png`);
  for (const c of CONVERTERS) {
    if (!present(c.name)) continue;
    rmSync(tmp, { force: true });
    const r = spawnSync(c.name, c.args(svgPath, tmp), { stdio: "ignore" });
    // A stand-in that exits 0 without writing the file does not count.
    if (!r.error && r.status === 0 && existsSync(tmp)) {
      renameSync(tmp, pngPath);
      return c.name;
    }
    rmSync(tmp, { force: true });
  }
  return null;
}
