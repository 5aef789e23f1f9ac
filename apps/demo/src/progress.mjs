// The per-epoch progress line: batches done, running loss, samples/s and ETA. On a terminal one line is
// redrawn with \r as a bar after every batch; otherwise (CI logs, pipes) one plain line ends each epoch, plus
// one every 10 s while a slow epoch runs (so a log never looks stuck).

/**
 * Formats seconds as `m:ss` (or `h:mm:ss`).
 * @param {number} seconds
 * @returns {string}
 */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * The text of one progress line.
 *
 * @example
 * progressText({ epoch: 1, epochs: 8, batch: 50, batches: 157, loss: 0.51, samplesPerSec: 4000, eta: 3 });
 * // "epoch 1/8 [#########.....................]  50/157 loss 0.5100  4,000 samples/s  ETA 0:03"
 *
 * @param {{ epoch: number, epochs: number, batch: number, batches: number, loss: number,
 *   samplesPerSec: number, eta: number }} state
 * @param {number} [width]
 * @returns {string}
 */
export function progressText({ epoch, epochs, batch, batches, loss, samplesPerSec, eta }, width = 30) {
  const filled = Math.round((width * batch) / batches);
  const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
  const count = `${String(batch).padStart(String(batches).length)}/${batches}`;
  const rate = Math.round(samplesPerSec).toLocaleString("en-US");
  return `epoch ${epoch}/${epochs} ${bar} ${count} loss ${loss.toFixed(4)}  ${rate} samples/s  ETA ${formatDuration(eta)}`;
}

/**
 * A progress reporter for one epoch: `update(batch, loss, samples)` after each batch, `done()` at the end.
 *
 * `write` receives text to print as is; `tty` chooses the redrawn bar (true) or plain lines (false).
 *
 * @example
 * const p = epochProgress({ epoch: 1, epochs: 8, batches: 157, write: (s) => process.stdout.write(s), tty: false });
 *
 * @param {{ epoch: number, epochs: number, batches: number, write: (text: string) => unknown, tty: boolean,
 *   now?: () => number }} options
 */
export function epochProgress({ epoch, epochs, batches, write, tty, now = () => performance.now() }) {
  const start = now();
  let samples = 0;
  let lossSum = 0;
  let last = "";
  let lastPlain = start;
  const text = (/** @type {number} */ batch) => {
    const secs = (now() - start) / 1000;
    const rate = secs > 0 ? samples / secs : 0;
    const eta = batch > 0 ? (secs / batch) * (batches - batch) : 0;
    return progressText({
      epoch,
      epochs,
      batch,
      batches,
      loss: lossSum / Math.max(batch, 1),
      samplesPerSec: rate,
      eta,
    });
  };
  return {
    /**
     * @param {number} batch
     * @param {number} loss
     * @param {number} n
     */
    update(batch, loss, n) {
      samples += n;
      lossSum += loss;
      last = text(batch);
      if (tty) write(`\r${last}`);
      else if (batch === batches || now() - lastPlain >= 10_000) {
        lastPlain = now();
        write(`${last}\n`);
      }
    },
    /** Ends the line; returns `{ loss, samplesPerSec, seconds }` for the epoch. */
    done() {
      if (tty) write("\n");
      const seconds = (now() - start) / 1000;
      return { loss: lossSum / batches, samplesPerSec: samples / seconds, seconds };
    },
  };
}

/**
 * `n` and the noun, pluralised in English: "1 epoch", "10 epochs".
 *
 * @example
 * plural(1, "epoch"); // "1 epoch"
 *
 * @param {number} n
 * @param {string} noun
 * @returns {string}
 */
export function plural(n, noun) {
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}
