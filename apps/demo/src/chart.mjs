// The training chart: mean training loss (left axis) and test accuracy (right axis) per epoch, as an SVG
// written by hand so that the demo needs no plotting library.
import { esc, num } from "./svg.mjs";

/** @typedef {{ epoch: number, loss: number, accuracy: number }} EpochRecord */

const W = 640;
const H = 360;
const PAD = { left: 60, right: 60, top: 40, bottom: 50 };

/**
 * @param {number} lo
 * @param {number} hi
 * @param {number} count
 */
function ticks(lo, hi, count) {
  return Array.from({ length: count + 1 }, (_, i) => lo + ((hi - lo) * i) / count);
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
  const maxLoss = Math.max(...history.map((h) => h.loss), 1e-6) * 1.1;
  const accLo = Math.floor(Math.min(...history.map((h) => h.accuracy), 1) * 10) / 10;
  const x = (/** @type {number} */ epoch) =>
    PAD.left + (W - PAD.left - PAD.right) * (n === 1 ? 0.5 : (epoch - 1) / (n - 1));
  const yLoss = (/** @type {number} */ v) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / maxLoss;
  const yAcc = (/** @type {number} */ v) =>
    H - PAD.bottom - ((H - PAD.top - PAD.bottom) * (v - accLo)) / (1 - accLo || 1);
  /**
   * @param {[number, number][]} pts
   * @param {string} color
   */
  const line = (pts, color) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([a, b]) => `${num(a)},${num(b)}`).join(" ")}"/>` +
    pts.map(([a, b]) => `<circle cx="${num(a)}" cy="${num(b)}" r="3" fill="${color}"/>`).join("");
  const lossPts = history.map((h) => /** @type {[number, number]} */ ([x(h.epoch), yLoss(h.loss)]));
  const accPts = history.map((h) => /** @type {[number, number]} */ ([x(h.epoch), yAcc(h.accuracy)]));
  const grid = ticks(0, maxLoss, 4)
    .map((v) => {
      const y = num(yLoss(v));
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${PAD.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${v.toFixed(2)}</text>`;
    })
    .join("");
  const accTicks = ticks(accLo, 1, 4)
    .map(
      (v) =>
        `<text x="${W - PAD.right + 8}" y="${num(yAcc(v))}" dominant-baseline="middle" fill="#c0392b">${v.toFixed(2)}</text>`,
    )
    .join("");
  const epochTicks = history
    .map(
      (h) => `<text x="${num(x(h.epoch))}" y="${H - PAD.bottom + 18}" text-anchor="middle">${h.epoch}</text>`,
    )
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
