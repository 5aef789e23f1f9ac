import { describe, expect, it } from "vitest";
import { DemoArgumentError, HELP, parseArgs } from "./args.mjs";

describe("parseArgs", () => {
  it("fills in the defaults", () => {
    expect(parseArgs([])).toMatchObject({
      device: "gpu",
      epochs: 10,
      batchsize: 64,
      model: "mlp",
      help: false,
    });
  });

  it("reads --flag value and --flag=value, numbers as numbers", () => {
    const o = parseArgs([
      "--epochs",
      "3",
      "--batchsize=128",
      "--model",
      "cnn",
      "--device=cpu",
      "--lr",
      "0.01",
    ]);
    expect(o).toMatchObject({ epochs: 3, batchsize: 128, model: "cnn", device: "cpu", lr: 0.01 });
  });

  it("takes --data as a path and --help as a switch", () => {
    expect(parseArgs(["--data", "/x/fm", "--help"])).toMatchObject({ data: "/x/fm", help: true });
  });

  it("rejects unknown flags, bad choices, bad numbers and missing values", () => {
    for (const argv of [
      ["--epoch", "2"],
      ["--device", "cuda"],
      ["--epochs", "0"],
      ["--batchsize", "1.5"],
      ["--lr"],
    ]) {
      expect(() => parseArgs(argv), argv.join(" ")).toThrow(DemoArgumentError);
    }
  });

  it("documents every flag in the help text", () => {
    for (const flag of ["--device", "--epochs", "--batchsize", "--model", "--data", "--help"])
      expect(HELP).toContain(flag);
  });
});
