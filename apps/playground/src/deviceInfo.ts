// The device panel: which @flux device trains, on what adapter, and why the CPU when it is the CPU.
import type { ChosenDevice } from "./device.js";

function row(term: string, value: string): HTMLElement[] {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  return [dt, dd];
}

/**
 * The note under the panel: a software adapter in use, or why the CPU was used (and what to do), or
 * `null` when there is nothing to say.
 *
 * @example
 * deviceNote(chosen); // "CPU fallback: the only webgpu adapter is a software renderer (SwiftShader ...)"
 */
export function deviceNote(chosen: ChosenDevice): string | null {
  if (chosen.adapter?.isSoftware) {
    return "This adapter is a software renderer (its shaders run on the CPU), so training here is slower than on the CPU backend: add ?\u2060device=cpu to the address to compare.";
  }
  if (chosen.reason !== null) {
    const software = chosen.skipped.some((a) => a.isSoftware);
    const tip = software
      ? " Add ?\u2060device=webgpu to the address to use the software adapter anyway."
      : chosen.hint
        ? ` ${chosen.hint}`
        : "";
    return `CPU fallback: ${chosen.reason}.${tip}`;
  }
  return null;
}

/**
 * Fills `panel` (a `<dl>`) with the device's name, kind and adapter details, and `noteBox` with a note for
 * software adapters and CPU fallbacks (hidden when there is nothing to say).
 *
 * @example
 * renderDeviceInfo(document.getElementById("device")!, document.getElementById("device-note")!, chosen);
 */
export function renderDeviceInfo(panel: HTMLElement, noteBox: HTMLElement, chosen: ChosenDevice): void {
  const rows = [
    ...row("device", chosen.name),
    ...row("backend", chosen.kind),
    ...row("adapter", chosen.label),
  ];
  const a = chosen.adapter;
  if (a) {
    rows.push(...row("vendor", a.vendor || "—"));
    rows.push(...row("kind", a.isSoftware ? "software renderer" : "hardware GPU"));
  }
  for (const s of chosen.skipped)
    rows.push(...row("not used", `${s.name}${s.isSoftware ? " (software)" : ""}`));
  const note = deviceNote(chosen);
  panel.replaceChildren(...rows);
  noteBox.textContent = note ?? "";
  noteBox.hidden = note === null;
  panel.dataset.kind = chosen.kind;
}
