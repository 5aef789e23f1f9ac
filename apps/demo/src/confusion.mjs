// The confusion matrix of the test set: rows are true classes, columns predicted ones; as text for the
// terminal and as an SVG heat map.
import { esc, num } from "./svg.mjs";

/**
 * Counts `[truth][predicted]` pairs.
 *
 * @example
 * confusionMatrix(Uint8Array.of(0, 1, 1), Uint8Array.of(0, 1, 0), 2); // [[1, 0], [1, 1]]
 *
 * @param {ArrayLike<number>} labels
 * @param {ArrayLike<number>} predicted
 * @param {number} classes
 * @returns {number[][]}
 */
export function confusionMatrix(labels, predicted, classes) {
  const m = Array.from({ length: classes }, () => new Array(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]] += 1;
  return m;
}

/**
 * The matrix as aligned text, with the full class names (each column as wide as its name) and each row's
 * recall.
 *
 * @example
 * console.log(confusionText(m, ["cat", "dog"]));
 *
 * @param {readonly (readonly number[])[]} m
 * @param {readonly string[]} names
 * @returns {string}
 */
export function confusionText(m, names) {
  const counts = Math.max(5, ...m.flat().map((v) => String(v).length));
  const widths = names.map((n) => Math.max(counts, n.length) + 2);
  const first = Math.max("truth \\ predicted".length, ...names.map((n) => n.length)) + 1;
  const head = `${"truth \\ predicted".padEnd(first)}${names.map((s, j) => s.padStart(widths[j])).join("")}  recall`;
  const rows = m.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const recall = total > 0 ? (row[i] / total).toFixed(2) : "  - ";
    return `${names[i].padEnd(first)}${row.map((v, j) => String(v).padStart(widths[j])).join("")}  ${recall}`;
  });
  return [head, ...rows].join("\n");
}

/**
 * The matrix as an SVG heat map (darker = more), counts written in each cell.
 *
 * @example
 * writeFileSync("out/confusion.svg", confusionSvg(m, CLASSES));
 *
 * @param {readonly (readonly number[])[]} m
 * @param {readonly string[]} names
 * @param {string} [title]
 * @returns {string}
 */
export function confusionSvg(m, names, title = "Confusion matrix (test set)") {
  const cell = 44;
  const left = 110;
  const top = 110;
  const size = m.length * cell;
  const W = left + size + 20;
  const H = top + size + 40;
  const rowMax = m.map((row) => Math.max(...row, 1));
  const cells = m
    .flatMap((row, i) =>
      row.map((v, j) => {
        const shade = v / rowMax[i];
        const fill = `rgb(${num(255 - 211 * shade)},${num(255 - 144 * shade)},${num(255 - 68 * shade)})`;
        const color = shade > 0.5 ? "white" : "black";
        const x = left + j * cell;
        const y = top + i * cell;
        return `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#eee"/><text x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" dominant-baseline="middle" fill="${color}">${v}</text>`;
      }),
    )
    .join("");
  const rowLabels = names
    .map(
      (n, i) =>
        `<text x="${left - 6}" y="${top + i * cell + cell / 2}" text-anchor="end" dominant-baseline="middle">${esc(n)}</text>`,
    )
    .join("");
  const colLabels = names
    .map((n, j) => {
      const x = left + j * cell + cell / 2;
      return `<text x="${x}" y="${top - 6}" transform="rotate(-45 ${x} ${top - 6})">${esc(n)}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>
${rowLabels}${colLabels}${cells}
<text x="${left + size / 2}" y="${H - 10}" text-anchor="middle">predicted (rows: true class)</text>
</svg>
`;
}
