// The device panel: which @flux device trains, on what adapter, and why the CPU when it is the CPU.
import { type ChosenDevice, isSoftwareAdapter } from "./device";

function row(term: string, value: string): HTMLElement[] {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  return [dt, dd];
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
    rows.push(...row("vendor · arch", [a.vendor, a.architecture].filter(Boolean).join(" / ") || "—"));
    if (a.description) rows.push(...row("description", a.description));
  }
  const note =
    a && isSoftwareAdapter(a)
      ? "This adapter is a software rasteriser (its shaders run on the CPU), so training here is slower than on the CPU backend: add ?\u2060device=cpu to the address to compare."
      : chosen.reason
        ? `CPU fallback: ${chosen.reason}`
        : null;
  panel.replaceChildren(...rows);
  noteBox.textContent = note ?? "";
  noteBox.hidden = note === null;
  panel.dataset.kind = chosen.kind;
}
