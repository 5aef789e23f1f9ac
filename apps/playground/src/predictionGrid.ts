// The grid of test images, each with the model's predicted class: green when right, red (plus the true
// class) when wrong. Built once, then only the captions change as the model learns.
import { FASHION_MNIST_CLASSES } from "@flux/data";

/** The handle `renderPredictions` updates. */
export interface PredictionGrid {
  readonly cells: readonly { readonly caption: HTMLElement; readonly cell: HTMLElement }[];
}

/**
 * Fills `container` with the first `count` images of a split (`pixels`: 784 bytes per image, row-major
 * 28×28, as in the IDX file), each on its own canvas; captions start as "?".
 *
 * @example
 * const grid = createPredictionGrid(document.getElementById("grid")!, test.pixels, test.labels, 24);
 */
export function createPredictionGrid(
  container: HTMLElement,
  pixels: Uint8Array,
  labels: Int32Array,
  count: number,
): PredictionGrid {
  container.replaceChildren();
  const cells = [];
  for (let i = 0; i < Math.min(count, labels.length); i++) {
    const cell = document.createElement("figure");
    cell.className = "cell pending";
    cell.dataset.label = FASHION_MNIST_CLASSES[labels[i]!]!;
    const canvas = document.createElement("canvas");
    canvas.width = 28;
    canvas.height = 28;
    const image = new ImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      // Fashion-MNIST stores ink as high values on black: draw it dark on light, like a catalogue photo.
      const v = 255 - pixels[784 * i + p]!;
      image.data.set([v, v, v, 255], 4 * p);
    }
    canvas.getContext("2d")?.putImageData(image, 0, 0);
    const caption = document.createElement("figcaption");
    caption.textContent = "?";
    cell.append(canvas, caption);
    container.append(cell);
    cells.push({ cell, caption });
  }
  return { cells };
}

/**
 * Shows `predicted` (0-based classes, one per image in grid order) against the true `labels`.
 *
 * @example
 * renderPredictions(grid, predicted, test.labels);
 */
export function renderPredictions(grid: PredictionGrid, predicted: Int32Array, labels: Int32Array): void {
  grid.cells.forEach(({ cell, caption }, i) => {
    const right = predicted[i] === labels[i];
    cell.className = `cell ${right ? "right" : "wrong"}`;
    caption.textContent = FASHION_MNIST_CLASSES[predicted[i]!] ?? "?";
    cell.title = right
      ? `predicted ${caption.textContent} (correct)`
      : `predicted ${caption.textContent}, true class ${FASHION_MNIST_CLASSES[labels[i]!]}`;
  });
}
