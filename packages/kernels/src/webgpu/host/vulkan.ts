// Can Dawn find a Vulkan driver here? Answered from the file system alone, BEFORE Dawn is loaded: once
// loaded, Dawn and the Vulkan loader print to the process's stderr from C++ (`vkCreateInstance: Found no
// drivers!`, a source path of Dawn's build machine), which no JavaScript can silence. So on Linux, where
// WebGPU on Node and Bun means Dawn on Vulkan, we look where the Vulkan loader looks: its library
// (libvulkan.so.1) and the driver manifests (ICD JSON files) in VK_DRIVER_FILES / VK_ICD_FILENAMES or the
// standard search folders, and whether each driver's GPU device node exists. Other systems (macOS: Metal,
// Windows: D3D12) are not surveyed.

/** The subset of `node:fs` the survey reads (injectable for tests). */
export interface SurveyFs {
  readdirSync(path: string): string[];
  statSync(path: string): { isFile(): boolean; isDirectory(): boolean; size: number };
  readFileSync(path: string): Uint8Array;
  existsSync(path: string): boolean;
}

/** One Vulkan driver manifest found by the survey. */
export interface VulkanDriver {
  /** Path of the ICD manifest (`*.json`). */
  readonly manifest: string;
  /** The driver library the manifest names (`""` when the manifest cannot be read). */
  readonly library: string;
  /** A CPU renderer (lavapipe/llvmpipe, SwiftShader, the Khronos mock driver): works, but no GPU. */
  readonly software: boolean;
  /** `false` when the driver needs a GPU device node this machine does not have (then `why` says which). */
  readonly usable: boolean;
  readonly why?: string;
}

/** What the survey found. */
export interface VulkanSurvey {
  /** Where `libvulkan.so.1` was found, or `null`. */
  readonly loader: string | null;
  /** Every driver manifest found, usable or not. */
  readonly drivers: readonly VulkanDriver[];
  /** The folders (or files) searched for manifests. */
  readonly searched: readonly string[];
  /** `"VK_DRIVER_FILES=..."` or `"VK_ICD_FILENAMES=..."` when the environment chose the drivers. */
  readonly fromEnv?: string;
}

/** Why WebGPU cannot start on this host, as a stable code. */
export type WebGPUHostProblem =
  | "no-webgpu-package"
  | "no-webgpu-api"
  | "no-vulkan-loader"
  | "no-vulkan-driver"
  | "no-usable-vulkan-driver";

/** The host's answer to "can WebGPU start here?", without starting it. */
export type WebGPUHostCheck =
  | {
      readonly ok: true;
      /** Only software drivers (e.g. lavapipe, SwiftShader) were found: adapters will be CPU renderers. */
      readonly softwareOnly: boolean;
      /** The Vulkan survey where one was made (Linux, Node and Bun). */
      readonly survey?: VulkanSurvey;
    }
  | {
      readonly ok: false;
      readonly code: WebGPUHostProblem;
      /** What is missing, in words. */
      readonly reason: string;
      /** What to do about it, for this runtime and system. */
      readonly hint: string;
      readonly survey?: VulkanSurvey;
    };

const SOFTWARE = /swiftshader|lvp|lavapipe|llvmpipe|softpipe|mock_icd|mock-icd|VkICD_mock/i;
const NVIDIA = /nvidia/i;
const DXG = /^dzn|dozen/i;
// Mesa and vendor hardware drivers that run only with a kernel GPU device (/dev/dri/*). Debian and Ubuntu
// install these manifests on machines without a GPU too, so their presence alone proves nothing.
const DRI =
  /^(intel|radeon|amd|nouveau|nvk|freedreno|panfrost|broadcom|v3dv|asahi|virtio|powervr|imagination|lima|etnaviv|gfxstream)/i;

const MAX_MANIFEST_BYTES = 64 * 1024;

function envOf(env: (name: string) => string | undefined, name: string): string | undefined {
  const v = env(name);
  return v === undefined || v === "" ? undefined : v;
}

function jsonFiles(fs: SurveyFs, dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => `${dir}/${f}`);
  } catch {
    return [];
  }
}

/** The manifest folders the Vulkan loader searches on Linux, in its order (the Vulkan loader documentation, "Driver Discovery on Linux"). */
export function vulkanSearchFolders(env: (name: string) => string | undefined): string[] {
  const home = envOf(env, "HOME");
  const configHome = envOf(env, "XDG_CONFIG_HOME") ?? (home ? `${home}/.config` : undefined);
  const configDirs = (envOf(env, "XDG_CONFIG_DIRS") ?? "/etc/xdg").split(":");
  const dataHome = envOf(env, "XDG_DATA_HOME") ?? (home ? `${home}/.local/share` : undefined);
  const dataDirs = (envOf(env, "XDG_DATA_DIRS") ?? "/usr/local/share:/usr/share").split(":");
  const roots = [configHome, ...configDirs, "/usr/local/etc", "/etc", dataHome, ...dataDirs].filter(
    (d): d is string => d !== undefined && d !== "",
  );
  return [...new Set(roots.map((r) => `${r.replace(/\/+$/, "")}/vulkan/icd.d`))];
}

/** Folders where `libvulkan.so.1` can be found by the dynamic linker, beyond its cache. */
function libraryFolders(env: (name: string) => string | undefined, extra: readonly string[]): string[] {
  const ld = (envOf(env, "LD_LIBRARY_PATH") ?? "").split(":").filter(Boolean);
  const triplets = ["x86_64-linux-gnu", "aarch64-linux-gnu", "arm-linux-gnueabihf", "i386-linux-gnu"];
  const base = ["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/local/lib64"];
  return [...extra, ...ld, ...base.flatMap((b) => [b, ...triplets.map((t) => `${b}/${t}`)])];
}

function findLoader(fs: SurveyFs, env: (name: string) => string | undefined, extra: readonly string[]) {
  for (const dir of libraryFolders(env, extra)) {
    const p = `${dir}/libvulkan.so.1`;
    try {
      if (fs.existsSync(p)) return p;
    } catch {}
  }
  // The dynamic linker's cache lists every library ldconfig knows (NixOS-like systems use LD_LIBRARY_PATH).
  try {
    const st = fs.statSync("/etc/ld.so.cache");
    if (st.isFile() && st.size < 16 * 1024 * 1024) {
      const bytes = fs.readFileSync("/etc/ld.so.cache");
      if (indexOfAscii(bytes, "libvulkan.so.1\0") >= 0) return "/etc/ld.so.cache: libvulkan.so.1";
    }
  } catch {}
  return null;
}

function indexOfAscii(bytes: Uint8Array, needle: string): number {
  const n = Array.from(needle, (c) => c.charCodeAt(0));
  outer: for (let i = 0; i + n.length <= bytes.length; i++) {
    for (let j = 0; j < n.length; j++) if (bytes[i + j] !== n[j]) continue outer;
    return i;
  }
  return -1;
}

function readLibraryPath(fs: SurveyFs, manifest: string): string {
  try {
    const st = fs.statSync(manifest);
    if (!st.isFile() || st.size > MAX_MANIFEST_BYTES) return "";
    const json = JSON.parse(new TextDecoder().decode(fs.readFileSync(manifest))) as {
      ICD?: { library_path?: unknown };
    };
    const lib = json?.ICD?.library_path;
    return typeof lib === "string" ? lib : "";
  } catch {
    return "";
  }
}

function classify(fs: SurveyFs, manifest: string): VulkanDriver {
  const library = readLibraryPath(fs, manifest);
  const file = manifest.slice(manifest.lastIndexOf("/") + 1);
  const both = `${file} ${library}`;
  const exists = (p: string) => {
    try {
      return fs.existsSync(p);
    } catch {
      return false;
    }
  };
  if (SOFTWARE.test(both)) return { manifest, library, software: true, usable: true };
  if (NVIDIA.test(both)) {
    const ok = exists("/dev/nvidiactl") || exists("/dev/nvidia0") || exists("/dev/dxg");
    return ok
      ? { manifest, library, software: false, usable: true }
      : { manifest, library, software: false, usable: false, why: "no NVIDIA device (/dev/nvidia0)" };
  }
  if (DXG.test(file)) {
    return exists("/dev/dxg")
      ? { manifest, library, software: false, usable: true }
      : { manifest, library, software: false, usable: false, why: "no WSL GPU device (/dev/dxg)" };
  }
  if (DRI.test(file)) {
    return exists("/dev/dri")
      ? { manifest, library, software: false, usable: true }
      : { manifest, library, software: false, usable: false, why: "no GPU device node (/dev/dri)" };
  }
  return { manifest, library, software: false, usable: true }; // a driver we do not know: let it try
}

/**
 * Surveys the Vulkan loader and drivers as the Vulkan loader would find them on Linux.
 *
 * `extraLibraryFolders` are searched for `libvulkan.so.1` first (Dawn looks beside `dawn.node` first).
 */
export function surveyVulkan(
  fs: SurveyFs,
  env: (name: string) => string | undefined,
  extraLibraryFolders: readonly string[] = [],
): VulkanSurvey {
  const loader = findLoader(fs, env, extraLibraryFolders);
  const chosen = envOf(env, "VK_DRIVER_FILES") ?? envOf(env, "VK_ICD_FILENAMES");
  const fromEnv =
    chosen === undefined
      ? undefined
      : `${envOf(env, "VK_DRIVER_FILES") !== undefined ? "VK_DRIVER_FILES" : "VK_ICD_FILENAMES"}=${chosen}`;
  const listed = (value: string | undefined) => (value ?? "").split(":").filter(Boolean);
  const expand = (p: string): string[] => {
    try {
      const st = fs.statSync(p);
      if (st.isDirectory()) return jsonFiles(fs, p.replace(/\/+$/, ""));
      return st.isFile() ? [p] : [];
    } catch {
      return [];
    }
  };
  const searched = chosen !== undefined ? listed(chosen) : vulkanSearchFolders(env);
  const added = listed(envOf(env, "VK_ADD_DRIVER_FILES"));
  const manifests = [...added, ...searched].flatMap((p) =>
    chosen !== undefined || added.includes(p) ? expand(p) : jsonFiles(fs, p),
  );
  const drivers = [...new Set(manifests)].map((m) => classify(fs, m));
  return { loader, drivers, searched: [...added, ...searched], ...(fromEnv ? { fromEnv } : {}) };
}

/** The Linux advice for getting a Vulkan driver. */
export const VULKAN_DRIVER_HINT =
  "Install your GPU's Vulkan driver: Intel or AMD: `sudo apt install mesa-vulkan-drivers` (Fedora: " +
  "`sudo dnf install mesa-vulkan-drivers`); NVIDIA: the proprietary driver, whose package brings its Vulkan " +
  "driver (Ubuntu: `sudo ubuntu-drivers install`). In a container, give it the GPU (`--device /dev/dri`, or " +
  "`--gpus all` with the NVIDIA Container Toolkit and NVIDIA_DRIVER_CAPABILITIES=all).";

/**
 * Turns a survey into a check: not ok when the loader is missing, or no driver is found, or none of the
 * drivers found can run here.
 */
export function vulkanCheck(survey: VulkanSurvey): WebGPUHostCheck {
  if (survey.loader === null) {
    return {
      ok: false,
      code: "no-vulkan-loader",
      reason: "the Vulkan loader (libvulkan.so.1), which Dawn needs on Linux, is not installed",
      hint:
        "Install it: `sudo apt install libvulkan1` (Debian, Ubuntu), `sudo dnf install vulkan-loader` " +
        "(Fedora), `sudo pacman -S vulkan-icd-loader` (Arch), plus a Vulkan driver for your GPU.",
      survey,
    };
  }
  if (survey.drivers.length === 0) {
    const main = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"].filter((d) => survey.searched.includes(d));
    const others = survey.searched.length - main.length;
    const where =
      survey.fromEnv !== undefined
        ? `${survey.fromEnv} names no driver manifest that exists`
        : `no driver manifest in ${main.join(", ")}${others > 0 ? ` or the ${others} other Vulkan search folders` : ""}`;
    return {
      ok: false,
      code: "no-vulkan-driver",
      reason: `no Vulkan driver is installed (${where})`,
      hint: VULKAN_DRIVER_HINT,
      survey,
    };
  }
  const usable = survey.drivers.filter((d) => d.usable);
  if (usable.length === 0) {
    const names = survey.drivers.map((d) => `${d.manifest.slice(d.manifest.lastIndexOf("/") + 1)}: ${d.why}`);
    return {
      ok: false,
      code: "no-usable-vulkan-driver",
      reason: `Vulkan drivers are installed but this machine exposes no GPU to them (${names.join("; ")})`,
      hint:
        "On a machine with a GPU, install its kernel driver; in a container, pass the GPU in " +
        "(`--device /dev/dri`, or `--gpus all` with the NVIDIA Container Toolkit).",
      survey,
    };
  }
  return { ok: true, softwareOnly: usable.every((d) => d.software), survey };
}
