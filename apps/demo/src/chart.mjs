// The training chart: mean training loss (left axis) and test accuracy (right axis) per epoch, as an SVG
// written by hand so that the demo needs no plotting library.
import { esc, num } from "./svg.mjs";

/** @typedef {{ epoch: number, loss: number, accuracy: number }} EpochRecord */

const W = 640;
const H = 360;
const PAD = { left: 60, right: 60, top: 40, bottom: 50 };

/**
 * Axis ticks at round numbers: a step of 1, 2, 2.5 or 5 times a power of ten giving about `count`
 * intervals, the axis widened to whole steps around `[lo, hi]`. `integer` keeps steps whole (epochs).
 *
 * @example
 * niceTicks(0, 0.93, 4); // { lo: 0, hi: 1, step: 0.25, ticks: [0, 0.25, 0.5, 0.75, 1], labels: ["0.00", ...] }
 *
 * @param {number} lo
 * @param {number} hi
 * @param {number} count
 * @param {boolean} [integer]
 */
export function niceTicks(lo, hi, count, integer = false) {
  const span = hi > lo ? hi - lo : Math.abs(hi) / 10 || 1;
  const rough = span / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = Number(
    ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough * (1 - 1e-9)) ?? 10 * power).toPrecision(
      12,
    ),
  );
  if (integer) step = Math.max(1, Math.round(step));
  // Whole multiples of the step, computed as integers so that 0.1 * 3 prints 0.3.
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.max(Math.ceil(hi / step - 1e-9), first + 1);
  const ticks = Array.from({ length: last - first + 1 }, (_, i) =>
    Number(((first + i) * step).toPrecision(12)),
  );
  const decimals = integer
    ? 0
    : Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (step / power === 2.5 ? 1 : 0));
  return {
    lo: ticks[0],
    hi: /** @type {number} */ (ticks.at(-1)),
    step,
    ticks,
    labels: ticks.map((t) => t.toFixed(decimals)),
  };
}

/**
 * An SVG line chart of `history` (`[{ epoch, loss, accuracy }]`, epochs from 1).
 *
 * @example
 * writeFileSync("out/training.svg", trainingChartSvg([{ epoch: 1, loss: 0.5, accuracy: 0.82 }]));
 *
 * @param {readonly EpochRecord[]} history
 * @param {string} [title]
 * @returns {string}
 */
export function trainingChartSvg(history, title = "Fashion-MNIST training") {
  const n = Math.max(history.length, 1);
  // Round-number axes: loss from 0, accuracy up to 1 at most, epochs from 1.
  const lossAxis = niceTicks(0, Math.max(...history.map((h) => h.loss), 1e-6), 4);
  const accs = history.map((h) => h.accuracy);
  const accAxis = niceTicks(Math.min(...accs, 1), Math.min(Math.max(...accs, 0), 1), 4);
  if (accAxis.hi > 1) {
    accAxis.hi = 1;
    accAxis.ticks = accAxis.ticks.filter((t) => t <= 1);
    accAxis.labels = accAxis.labels.slice(0, accAxis.ticks.length);
  }
  const epochAxis = niceTicks(1, n, Math.min(n - 1, 10) || 1, true);
  const x = (/** @type {number} */ epoch) =>
    PAD.left + (W - PAD.left - PAD.right) * (n === 1 ? 0.5 : (epoch - 1) / (n - 1));
  const yLoss = (/** @type {number} */ v) =>
    H - PAD.bottom - ((H - PAD.top - PAD.bottom) * (v - lossAxis.lo)) / (lossAxis.hi - lossAxis.lo);
  const yAcc = (/** @type {number} */ v) =>
    H - PAD.bottom - ((H - PAD.top - PAD.bottom) * (v - accAxis.lo)) / (accAxis.hi - accAxis.lo || 1);
  /**
   * @param {[number, number][]} pts
   * @param {string} color
   */
  const line = (pts, color) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([a, b]) => `${num(a)},${num(b)}`).join(" ")}"/>` +
    pts.map(([a, b]) => `<circle cx="${num(a)}" cy="${num(b)}" r="3" fill="${color}"/>`).join("");
  const lossPts = history.map((h) => /** @type {[number, number]} */ ([x(h.epoch), yLoss(h.loss)]));
  const accPts = history.map((h) => /** @type {[number, number]} */ ([x(h.epoch), yAcc(h.accuracy)]));
  const grid = lossAxis.ticks
    .map((v, i) => {
      const y = num(yLoss(v));
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${PAD.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${lossAxis.labels[i]}</text>`;
    })
    .join("");
  const accTicks = accAxis.ticks
    .map(
      (v, i) =>
        `<text x="${W - PAD.right + 8}" y="${num(yAcc(v))}" dominant-baseline="middle" fill="#c0392b">${accAxis.labels[i]}</text>`,
    )
    .join("");
  const epochTicks = epochAxis.ticks
    .filter((e) => e >= 1 && e <= n)
    .map((e) => `<text x="${num(x(e))}" y="${H - PAD.bottom + 18}" text-anchor="middle">${e}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>
${grid}${accTicks}${epochTicks}
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">epoch</text>
<text x="16" y="${H / 2}" transform="rotate(-90 16 ${H / 2})" text-anchor="middle" fill="#2c6fbb">training loss</text>
<text x="${W - 14}" y="${H / 2}" transform="rotate(90 ${W - 14} ${H / 2})" text-anchor="middle" fill="#c0392b">test accuracy</text>
${line(lossPts, "#2c6fbb")}
${line(accPts, "#c0392b")}
</svg>
`;
}
