// The Vulkan survey behind "do not load Dawn without a driver", on a file system made of a
// Map: no manifest, no loader, a driver for a GPU that is not there, software-only, VK_ICD_FILENAMES.
import { describe, expect, it } from "vitest";
import { type SurveyFs, surveyVulkan, vulkanCheck, vulkanSearchFolders } from "./vulkan.js";

/** A file system of `files` (path → content); folders are implied by the paths; `nodes` are device files. */
function fakeFs(files: Record<string, string>, nodes: string[] = []): SurveyFs {
  const isDir = (p: string) => Object.keys(files).some((f) => f.startsWith(`${p}/`));
  return {
    readdirSync(path) {
      if (!isDir(path)) throw new Error(`ENOENT ${path}`);
      return [
        ...new Set(
          Object.keys(files)
            .filter((f) => f.startsWith(`${path}/`))
            .map((f) => f.slice(path.length + 1).split("/")[0]!),
        ),
      ];
    },
    statSync(path) {
      if (path in files) return { isFile: () => true, isDirectory: () => false, size: files[path]!.length };
      if (isDir(path)) return { isFile: () => false, isDirectory: () => true, size: 0 };
      throw new Error(`ENOENT ${path}`);
    },
    readFileSync(path) {
      if (!(path in files)) throw new Error(`ENOENT ${path}`);
      return new TextEncoder().encode(files[path]);
    },
    existsSync: (path) => path in files || isDir(path) || nodes.includes(path),
  };
}

const LOADER = { "/usr/lib/x86_64-linux-gnu/libvulkan.so.1": "" };
const icd = (lib: string) => JSON.stringify({ file_format_version: "1.0.0", ICD: { library_path: lib } });
const env = (vars: Record<string, string>) => (name: string) => vars[name];

describe("surveyVulkan + vulkanCheck", () => {
  it("no driver manifest anywhere: no-vulkan-driver, with the apt advice", () => {
    const c = vulkanCheck(surveyVulkan(fakeFs(LOADER), env({ HOME: "/root" })));
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.code).toBe("no-vulkan-driver");
    expect(c.reason).toContain("/usr/share/vulkan/icd.d");
    expect(c.hint).toContain("apt install mesa-vulkan-drivers");
  });

  it("no libvulkan.so.1: no-vulkan-loader (the dynamic linker cache counts)", () => {
    const files = { "/usr/share/vulkan/icd.d/nvidia_icd.json": icd("libGLX_nvidia.so.0") };
    const c = vulkanCheck(surveyVulkan(fakeFs(files, ["/dev/nvidia0"]), env({})));
    expect(c.ok || c.code).toBe("no-vulkan-loader");
    const cached = { ...files, "/etc/ld.so.cache": "ld.so-1.7.0\0libvulkan.so.1\0/lib/libvulkan.so.1\0" };
    expect(vulkanCheck(surveyVulkan(fakeFs(cached, ["/dev/nvidia0"]), env({}))).ok).toBe(true);
    // Dawn looks beside dawn.node first.
    const beside = { ...files, "/pkg/dist/linux-x64/libvulkan.so.1": "" };
    expect(surveyVulkan(fakeFs(beside), env({}), ["/pkg/dist/linux-x64"]).loader).toBe(
      "/pkg/dist/linux-x64/libvulkan.so.1",
    );
  });

  it("hardware drivers without the GPU they drive (Debian installs them anyway): no-usable-vulkan-driver", () => {
    const files = {
      ...LOADER,
      "/usr/share/vulkan/icd.d/intel_icd.x86_64.json": icd("/usr/lib/libvulkan_intel.so"),
      "/usr/share/vulkan/icd.d/radeon_icd.x86_64.json": icd("/usr/lib/libvulkan_radeon.so"),
      "/etc/vulkan/icd.d/nvidia_icd.json": icd("libGLX_nvidia.so.0"),
    };
    const c = vulkanCheck(surveyVulkan(fakeFs(files), env({})));
    expect(c.ok || c.code).toBe("no-usable-vulkan-driver");
    expect(vulkanCheck(surveyVulkan(fakeFs(files, ["/dev/dri"]), env({}))).ok).toBe(true);
    expect(vulkanCheck(surveyVulkan(fakeFs(files, ["/dev/nvidiactl"]), env({}))).ok).toBe(true);
  });

  it("only software renderers (lavapipe, SwiftShader): ok, but softwareOnly", () => {
    const files = {
      ...LOADER,
      "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json": icd("/usr/lib/libvulkan_lvp.so"),
      "/usr/share/vulkan/icd.d/intel_icd.x86_64.json": icd("/usr/lib/libvulkan_intel.so"),
    };
    const c = vulkanCheck(surveyVulkan(fakeFs(files), env({})));
    expect(c).toMatchObject({ ok: true, softwareOnly: true });
    const both = vulkanCheck(surveyVulkan(fakeFs(files, ["/dev/dri"]), env({})));
    expect(both).toMatchObject({ ok: true, softwareOnly: false });
  });

  it("VK_ICD_FILENAMES / VK_DRIVER_FILES replace the search: files, folders, or nothing that exists", () => {
    const sw = "/usr/lib/chromium/vk_swiftshader_icd.json";
    const files = { ...LOADER, [sw]: icd("./libvk_swiftshader.so") };
    const s = surveyVulkan(fakeFs(files), env({ VK_ICD_FILENAMES: sw }));
    expect(s.drivers).toEqual([
      { manifest: sw, library: "./libvk_swiftshader.so", software: true, usable: true },
    ]);
    expect(surveyVulkan(fakeFs(files), env({ VK_DRIVER_FILES: "/usr/lib/chromium" })).drivers).toHaveLength(
      1,
    );
    const none = vulkanCheck(surveyVulkan(fakeFs(files), env({ VK_ICD_FILENAMES: "/nowhere/icd.json" })));
    expect(none.ok).toBe(false);
    if (!none.ok)
      expect(none.reason).toContain("VK_ICD_FILENAMES=/nowhere/icd.json names no driver manifest");
  });

  it("searches where the Vulkan loader searches, XDG variables included", () => {
    expect(vulkanSearchFolders(env({ HOME: "/home/u" }))).toEqual([
      "/home/u/.config/vulkan/icd.d",
      "/etc/xdg/vulkan/icd.d",
      "/usr/local/etc/vulkan/icd.d",
      "/etc/vulkan/icd.d",
      "/home/u/.local/share/vulkan/icd.d",
      "/usr/local/share/vulkan/icd.d",
      "/usr/share/vulkan/icd.d",
    ]);
    const custom = vulkanSearchFolders(env({ XDG_DATA_DIRS: "/nix/share", XDG_CONFIG_DIRS: "/cfg" }));
    expect(custom).toContain("/nix/share/vulkan/icd.d");
    expect(custom).toContain("/cfg/vulkan/icd.d");
    expect(custom).not.toContain("/usr/share/vulkan/icd.d");
    // A driver in a user's folder is found.
    const files = { ...LOADER, "/home/u/.local/share/vulkan/icd.d/my_icd.json": icd("/opt/my/libvk.so") };
    expect(vulkanCheck(surveyVulkan(fakeFs(files), env({ HOME: "/home/u" }))).ok).toBe(true);
  });
});
