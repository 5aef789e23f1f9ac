// The live loss chart: a canvas redrawn after each step with the raw per-batch loss (faint) and its
// exponential moving average (bold), on axes that grow with the run.

/** Chart geometry: the plot area inside the canvas, in CSS pixels. */
export interface PlotBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The exponential moving average of `values` (TensorBoard's smoothing), bias-corrected so the curve starts
 * at the first value instead of at 0.
 *
 * @example
 * smooth([2, 1], 0.5); // [2, 1.3333...]
 */
export function smooth(values: readonly number[], weight = 0.9): number[] {
  const out: number[] = [];
  let avg = 0;
  for (let i = 0; i < values.length; i++) {
    avg = weight * avg + (1 - weight) * values[i]!;
    out.push(avg / (1 - weight ** (i + 1)));
  }
  return out;
}

/**
 * Maps losses to canvas points in `box`: x by step (1..steps spread over the width), y linearly from 0 at
 * the bottom to `yMax` at the top.
 *
 * @example
 * toPoints([2, 1], 2, 2, { left: 0, top: 0, width: 100, height: 50 }); // [[0, 0], [100, 25]]
 */
export function toPoints(
  losses: readonly number[],
  steps: number,
  yMax: number,
  box: PlotBox,
): [number, number][] {
  const dx = steps > 1 ? box.width / (steps - 1) : 0;
  return losses.map((v, i) => [
    box.left + i * dx,
    box.top + box.height * (1 - Math.min(Math.max(v / yMax, 0), 1)),
  ]);
}

/** A y axis: its top value and the distance between labelled gridlines. */
export interface Axis {
  readonly max: number;
  readonly step: number;
}

/**
 * A y axis from 0 that holds `max` with at most 6 gridlines, spaced 1, 2, 2.5 or 5 times a power of ten,
 * so the labels stay short (2.6 gets 0..3 in steps of 0.5).
 *
 * @example
 * niceAxis(2.31); // { max: 2.5, step: 0.5 }
 */
export function niceAxis(max: number): Axis {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, step: 0.2 };
  const rough = max / 6;
  const p = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= rough * (1 - 1e-9))!;
  // Round away float noise (0.30000000000000004) so the top label prints as written.
  const top = Number((Math.ceil(max / step - 1e-9) * step).toPrecision(12));
  return { max: top, step };
}

function polyline(ctx: CanvasRenderingContext2D, pts: readonly [number, number][]): void {
  ctx.beginPath();
  for (const [i, [x, y]] of pts.entries()) {
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
}

/**
 * Redraws the whole chart for `losses` on a run of `steps` steps, at the device's pixel ratio.
 *
 * @example
 * drawLossChart(document.querySelector("canvas")!, [2.3, 1.9, 1.4], 200);
 */
export function drawLossChart(canvas: HTMLCanvasElement, losses: readonly number[], steps: number): void {
  const ratio = globalThis.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || 640;
  const cssH = canvas.clientHeight || 260;
  if (canvas.width !== Math.round(cssW * ratio)) canvas.width = Math.round(cssW * ratio);
  if (canvas.height !== Math.round(cssH * ratio)) canvas.height = Math.round(cssH * ratio);
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  const box: PlotBox = { left: 44, top: 12, width: cssW - 58, height: cssH - 46 };
  const axis = niceAxis(Math.max(...losses, 0.5));
  const yMax = axis.max;
  // As few decimals as print the step exactly (0.25 needs 2, 0.5 needs 1, 2 needs 0).
  let decimals = 0;
  while (decimals < 6 && Math.abs(Number(axis.step.toFixed(decimals)) - axis.step) > 1e-9 * axis.step)
    decimals++;
  const style = getComputedStyle(canvas);
  const ink = style.color || "#222";

  ctx.font = "11px system-ui, sans-serif";
  ctx.lineWidth = 1;
  ctx.strokeStyle = "rgba(128,128,128,0.25)";
  ctx.fillStyle = ink;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const ticks = Math.round(yMax / axis.step);
  for (let i = 0; i <= ticks; i++) {
    const v = i * axis.step;
    const y = box.top + box.height * (1 - i / ticks);
    polyline(ctx, [
      [box.left, y],
      [box.left + box.width, y],
    ]);
    ctx.fillText(v.toFixed(decimals), box.left - 6, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const s of [1, Math.round(steps / 2), steps]) {
    const x = box.left + (steps > 1 ? ((s - 1) / (steps - 1)) * box.width : 0);
    ctx.fillText(String(s), x, box.top + box.height + 6);
  }
  ctx.fillText("step", box.left + box.width / 2, box.top + box.height + 19);

  if (losses.length === 0) return;
  ctx.strokeStyle = "rgba(70,130,220,0.35)";
  polyline(ctx, toPoints(losses, steps, yMax, box));
  ctx.strokeStyle = "rgb(30,90,200)";
  ctx.lineWidth = 2.5;
  polyline(ctx, toPoints(smooth(losses), steps, yMax, box));
}
