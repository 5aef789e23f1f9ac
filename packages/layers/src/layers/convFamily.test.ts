import { memory, randn, relu, tensor, type Tensor, σ } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  AdaptiveMaxPool,
  AdaptiveMeanPool,
  Conv,
  ConvTranspose,
  CrossCor,
  DepthwiseConv,
  GlobalMaxPool,
  GlobalMeanPool,
  LayerArgumentError,
  LayerInputError,
  loadBytes,
  MaxPool,
  MeanPool,
  parseSafetensors,
  PixelShuffle,
  pixelShuffle,
  SamePad,
  saveBytes,
  Upsample,
} from "../index.js";

const arr = (t: Tensor) => Array.from(t.dataSync() as Float32Array);

describe("the Conv family beyond 2-D (Flux 0.16 docstrings)", () => {
  test("shapes and printing of Conv, CrossCor, ConvTranspose and DepthwiseConv", () => {
    const x = randn([100, 100, 3, 2]);
    expect(String(Conv([5, 5], 3, 7, relu, { bias: false }))).toBe(
      "Conv((5, 5), 3 => 7, relu, bias=false)  # 525 parameters",
    );
    expect(String(Conv([3], 4, 5, σ))).toBe("Conv((3,), 4 => 5, σ)  # 65 parameters");
    expect(Conv([3], 4, 5, σ).forward(randn([100, 4, 64])).shape).toEqual([98, 5, 64]);
    expect(Conv([5, 5], 3, 7, undefined, { stride: 2, pad: SamePad() }).forward(x).shape).toEqual([
      50, 50, 7, 2,
    ]);
    expect(String(DepthwiseConv([5, 5], 3, 6, relu, { bias: false }))).toBe(
      "Conv((5, 5), 3 => 6, relu, groups=3, bias=false)  # 150 parameters",
    );
    expect(String(CrossCor([5, 5], 3, 6, relu, { bias: false }))).toBe(
      "CrossCor((5, 5), 3 => 6, relu, bias=false)  # 450 parameters",
    );
    expect(CrossCor([5, 5], 3, 6).forward(x).shape).toEqual([96, 96, 6, 2]);
    expect(String(ConvTranspose([5, 5], 3, 7, relu))).toBe(
      "ConvTranspose((5, 5), 3 => 7, relu)  # 532 parameters",
    );
    expect(ConvTranspose([5, 5], 3, 7).forward(x).shape).toEqual([104, 104, 7, 2]);
    expect(ConvTranspose([5, 5], 3, 7, undefined, { stride: 2 }).forward(x).shape).toEqual([203, 203, 7, 2]);
    expect(ConvTranspose([5, 5], 3, 7, undefined, { stride: 2, outpad: 1 }).forward(x).shape).toEqual([
      204, 204, 7, 2,
    ]);
    expect(ConvTranspose([5, 5], 3, 7, undefined, { stride: 3, pad: SamePad() }).forward(x).shape).toEqual([
      300, 300, 7, 2,
    ]);
    expect(String(ConvTranspose([3], 5, 4, σ))).toBe("ConvTranspose((3,), 5 => 4, σ)  # 64 parameters");
    expect(ConvTranspose([3], 5, 4).forward(randn([100, 5, 2])).shape).toEqual([102, 4, 2]);
    expect(Conv([3, 3, 3], 2, 4).forward(randn([6, 6, 6, 2, 1])).shape).toEqual([4, 4, 4, 4, 1]);
    expect(() => Conv([3, 3], 3, 6, undefined, { groups: 2 })).toThrow(LayerArgumentError);
    expect(() => Conv([3], 4, 5).forward(randn([10, 10, 4, 1]))).toThrow(LayerInputError);
  });

  test("a ConvTranspose inverts the shape of a strided Conv", () => {
    const x = randn([16, 16, 2, 1]);
    const down = Conv([4, 4], 2, 3, undefined, { stride: 2, pad: 1 });
    const up = ConvTranspose([4, 4], 3, 2, undefined, { stride: 2, pad: 1 });
    expect(up.forward(down.forward(x)).shape).toEqual([16, 16, 2, 1]);
  });

  test("pools of 1 to 3 dims, adaptive and global pools", () => {
    expect(MaxPool([2]).forward(randn([10, 3, 2])).shape).toEqual([5, 3, 2]);
    expect(String(MeanPool([2, 2, 2], { stride: 1 }))).toBe("MeanPool((2, 2, 2), stride=1)");
    expect(MeanPool([2, 2, 2]).forward(randn([4, 4, 4, 1, 1])).shape).toEqual([2, 2, 2, 1, 1]);
    const x = randn([10, 10, 3, 2]);
    expect(String(AdaptiveMaxPool([5, 5]))).toBe("AdaptiveMaxPool((5, 5))");
    expect(AdaptiveMaxPool([5, 5]).forward(x).shape).toEqual([5, 5, 3, 2]);
    expect(AdaptiveMeanPool([3, 4]).forward(x).shape).toEqual([3, 4, 3, 2]);
    expect(GlobalMaxPool().forward(x).shape).toEqual([1, 1, 3, 2]);
    expect(String(GlobalMeanPool())).toBe("GlobalMeanPool()");
    expect(arr(GlobalMeanPool().forward(tensor([1, 2, 3, 4], [2, 2, 1, 1])))).toEqual([2.5]);
    expect(() => AdaptiveMaxPool([20, 20]).forward(x)).toThrow(LayerInputError);
  });

  test("Upsample and PixelShuffle as Flux's docstrings", () => {
    expect(String(Upsample("nearest", { scale: [2, 3] }))).toBe("Upsample(:nearest, scale = (2, 3))");
    expect(String(Upsample("bilinear", { size: [4, 5] }))).toBe("Upsample(:bilinear, size = (4, 5))");
    expect(Upsample("nearest", { scale: [2, 3] }).forward(randn([2, 2, 1, 1])).shape).toEqual([4, 6, 1, 1]);
    expect(arr(Upsample(2).forward(tensor([1, 2], [2, 1, 1])))).toEqual([1, 1, 2, 2]);
    expect(arr(Upsample("bilinear", { size: [3, 1] }).forward(tensor([0, 2], [2, 1, 1, 1])))).toEqual([
      0, 1, 2,
    ]);
    expect(() => Upsample("nearest", { scale: 2, size: [2, 2] })).toThrow(LayerArgumentError);
    expect(() => Upsample("nearest", { size: [3, 3] }).forward(randn([2, 2, 1, 1]))).toThrow(LayerInputError);
    // Flux's docstring: a 2x2x4x1 array of 1:16 becomes 4x4x1x1
    const y = PixelShuffle(2).forward(
      tensor(
        Array.from({ length: 16 }, (_, i) => i + 1),
        [2, 2, 4, 1],
      ),
    );
    expect(y.shape).toEqual([4, 4, 1, 1]);
    expect(arr(y)).toEqual([1, 5, 2, 6, 9, 13, 10, 14, 3, 7, 4, 8, 11, 15, 12, 16]);
    expect(() => pixelShuffle(randn([2, 2, 3, 1]), 2)).toThrow(LayerInputError);
  });

  test("1-D and 3-D Conv kernels are flipped in the file (nn.Conv1d/Conv3d) and read back", async () => {
    const c1 = Conv([3], 1, 1, undefined, { init: () => tensor([1, 2, 3], [3, 1, 1]), bias: false });
    const f1 = parseSafetensors(await saveBytes(c1));
    expect(f1.tensors.get("weight")!.shape).toEqual([1, 1, 3]);
    const c3 = Conv([2, 1, 2], 1, 1, undefined, {
      init: () => tensor([1, 2, 3, 4], [2, 1, 2, 1, 1]),
      bias: false,
    });
    const bytes = await saveBytes(c3);
    expect(parseSafetensors(bytes).tensors.get("weight")!.shape).toEqual([1, 1, 2, 1, 2]);
    const back = Conv([2, 1, 2], 1, 1, undefined, { bias: false });
    loadBytes(bytes, back);
    expect(arr(back.weight)).toEqual([1, 2, 3, 4]);
    const floats = (e: { bytes: Uint8Array }) =>
      Array.from(new Float32Array(e.bytes.slice().buffer as ArrayBuffer));
    // nn.Conv1d cross-correlates: our true-convolution kernel [1, 2, 3] is [3, 2, 1] there.
    expect(floats(f1.tensors.get("weight")!)).toEqual([3, 2, 1]);
    // [kW=2, kH=1, kD=2] column-major 1..4, flipped in W and D: torch [kD, kH, kW] row-major [4, 3, 2, 1].
    expect(floats(parseSafetensors(bytes).tensors.get("weight")!)).toEqual([4, 3, 2, 1]);
  });
});

describe("a convolution layer's forward pass keeps nothing but its output", () => {
  // 2-D layers run one fused op; 1-D, 3-D, grouped and transposed ones compose conv, bias and σ, whose
  // intermediates (the conv output, the bias's reshaped view) are freed as soon as the output exists.
  test.each([
    ["Conv 2-D, relu", () => Conv([3, 3], 2, 4, relu), [8, 8, 2, 3]],
    ["Conv 2-D, σ, no bias", () => Conv([3, 3], 2, 4, σ, { bias: false }), [8, 8, 2, 3]],
    ["Conv 1-D, relu", () => Conv([3], 2, 4, relu), [9, 2, 3]],
    ["Conv 3-D", () => Conv([2, 2, 2], 2, 4), [5, 5, 5, 2, 1]],
    ["Conv 2-D, groups 2", () => Conv([3, 3], 2, 4, relu, { groups: 2 }), [8, 8, 2, 3]],
    ["CrossCor 2-D", () => CrossCor([3, 3], 2, 4, σ), [8, 8, 2, 3]],
    ["ConvTranspose 2-D", () => ConvTranspose([3, 3], 2, 4, relu), [8, 8, 2, 3]],
  ] as const)("%s", (_, make, shape) => {
    const layer = make();
    const x = randn([...shape]);
    const before = memory().liveTensors;
    const y = layer.forward(x);
    expect(memory().liveTensors).toBe(before + 1);
    y.dispose();
  });
});
