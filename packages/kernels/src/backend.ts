// The Backend interface: the SMALL set of primitives every backend implements. The public ops (src/ops/)
// check devices, shapes and dtypes, compute output shapes, and record gradients; a backend only computes.
// Storage is opaque to everyone but its backend (a typed array on the CPU, a GPUBuffer on WebGPU).
import type { DeviceDescriptor } from "./device.js";
import type { DType, TypedArray } from "./dtype.js";
import type { ArgReduceOp, BinaryOp, PoolOp, ReduceOp, UnaryOp } from "./opNames.js";
import type { PackedOptimiserOp } from "./optimiserOps.js";
import type { Shape } from "./shape.js";

/**
 * What a backend primitive receives for each tensor operand: its storage plus shape and dtype.
 * Storage is always contiguous column-major (no strided views exist).
 */
export interface TensorView<S = unknown> {
  readonly storage: S;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Options of the matmul primitive: multiply by the transpose of an operand without materialising it. */
export interface MatmulOptions {
  readonly transA: boolean;
  readonly transB: boolean;
}

/**
 * Resolved 2-D convolution geometry (all numbers, computed by the op layer). Layout is Flux's:
 * input `[W, H, Cin, N]`, weight `[kW, kH, Cin, Cout]`, output `[outW, outH, Cout, N]`.
 */
export interface Conv2dGeometry {
  /** `[strideW, strideH]`. */
  readonly stride: readonly [number, number];
  /** `[wLow, wHigh, hLow, hHigh]` zero padding. */
  readonly pad: readonly [number, number, number, number];
  /** `[dilationW, dilationH]`. */
  readonly dilation: readonly [number, number];
  /** `false` (NNlib's default): true convolution, the kernel is flipped. `true`: cross-correlation. */
  readonly flipped: boolean;
  readonly inShape: readonly [number, number, number, number];
  readonly weightShape: readonly [number, number, number, number];
  readonly outShape: readonly [number, number, number, number];
}

/** Resolved 2-D pooling geometry over `[W, H, C, N]`; padding counts towards `mean`'s divisor (NNlib). */
export interface Pool2dGeometry {
  readonly window: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly pad: readonly [number, number, number, number];
  readonly inShape: readonly [number, number, number, number];
  readonly outShape: readonly [number, number, number, number];
}

/**
 * What a fused LSTM forward pass returns (see `Backend.lstmSequence`). Column-major, Flux's features x time
 * x batch.
 */
export interface LstmSequenceOutput<S = unknown> {
  /** `[n, T, B]`: h of every step. */
  readonly y: S;
  /** `[n, B]`: c of the last step. */
  readonly cLast: S;
  /**
   * What the backward pass reads again, in the backend's own layout, with each one's element count (the
   * op layer owns them as tensors so that they live exactly as long as the gradient tape needs them).
   */
  readonly saved: readonly { readonly storage: S; readonly size: number }[];
}

/** The cotangents a fused LSTM backward pass returns (null where not asked for). */
export interface LstmSequenceGrads<S = unknown> {
  /** `[in, T, B]`: of the input. */
  readonly dx: S | null;
  /** `[4n, in]`: of the input kernel. */
  readonly dwi: S | null;
  /** `[4n, n]`: of the recurrent kernel. */
  readonly dwh: S | null;
  /** `[4n]`: of the bias. */
  readonly db: S | null;
  /** `[n, B]`: of the initial hidden state. */
  readonly dh0: S;
  /** `[n, B]`: of the initial cell state. */
  readonly dc0: S;
}

/** The operands of a fused LSTM (see `Backend.lstmSequence`). */
export interface LstmSequenceOperands<S = unknown> {
  /** `[in, T, B]`: the input sequences (Flux's features x time x batch). */
  readonly x: TensorView<S>;
  /** `[4n, in]`: the input kernel, gates stacked i, f, g, o. */
  readonly wi: TensorView<S>;
  /** `[4n, n]`: the recurrent kernel, stacked the same way. */
  readonly wh: TensorView<S>;
  /** `[4n]`, or null for no bias. */
  readonly b: TensorView<S> | null;
  /** `[n, B]`: the initial hidden state. */
  readonly h0: TensorView<S>;
  /** `[n, B]`: the initial cell state. */
  readonly c0: TensorView<S>;
}

/** Which cotangents a fused LSTM backward pass should compute (dh0 and dc0 always are). */
export interface LstmSequenceWants {
  readonly x: boolean;
  readonly wi: boolean;
  readonly wh: boolean;
  readonly b: boolean;
}

/**
 * The operands of fused scaled dot-product attention (see `Backend.attention`), in Julia's layout with the
 * batch dims flattened into one: `q` `[qkDim, qLen, B]`, `k` `[qkDim, kvLen, B]`, `v` `[vDim, kvLen, B]`.
 * Head h reads rows `h*dh .. (h+1)*dh - 1` of each (dh = dim / nheads), as NNlib splits the features.
 */
export interface AttentionOperands<S = unknown> {
  readonly q: TensorView<S>;
  readonly k: TensorView<S>;
  readonly v: TensorView<S>;
  readonly nheads: number;
  /** Multiplies every score before the softmax (NNlib: 1/sqrt(qkDim / nheads)). */
  readonly scale: number;
  /** Query j attends to keys 0..j only (NNlib's `make_causal_mask`). */
  readonly causal: boolean;
}

/** What fused attention returns: `y` `[vDim, qLen, B]` and the weights `[kvLen, qLen, nheads, B]`. */
export interface AttentionOutput<S = unknown> {
  readonly y: S;
  readonly weights: S;
}

/** Which cotangents a fused attention backward pass should compute (null for the others). */
export interface AttentionGrads<S = unknown> {
  readonly dq: S | null;
  readonly dk: S | null;
  readonly dv: S | null;
}

/** The operands of a fused GRU (see `Backend.gruSequence`): the LSTM's with three gates and no cell state. */
export type GruSequenceOperands<S = unknown> = Omit<LstmSequenceOperands<S>, "c0">;

/** What a fused GRU forward pass returns: every step's h and what the backward pass reads again. */
export type GruSequenceOutput<S = unknown> = Omit<LstmSequenceOutput<S>, "cLast">;

/** The cotangents a fused GRU backward pass returns (null where not asked for). */
export type GruSequenceGrads<S = unknown> = Omit<LstmSequenceGrads<S>, "dc0">;

/** What a backend reports about its memory, beyond what the tensor layer counts itself. */
export interface BackendMemoryInfo {
  /** Bytes held in a reuse pool (freed by tensors but kept by the backend). */
  readonly pooledBytes: number;
  /** Freed buffers the device may still use, released once it has passed them (0 when absent). */
  readonly pendingBuffers?: number;
}

/**
 * The primitives a backend implements. Every method returns NEW storage (never aliasing an input)
 * unless it says otherwise; inputs are never modified except by `write`.
 *
 * Axes and indices here are 0-based (the public ops convert Julia's 1-based `dims`). Output shapes are
 * computed by the op layer and passed where the backend needs them. Random numbers are generated on the
 * host by the op layer (so a seed gives the same numbers on every backend) and arrive through `upload`.
 *
 * @example
 * // a backend is obtained from the registry, never constructed by users:
 * const cpu = getBackendSync("cpu");
 * const s = cpu.upload(new Float32Array([1, 2]), "f32");
 */
export interface Backend<S = unknown> {
  /** The backend's registry name (`"cpu"`, `"webgpu"`). */
  readonly name: string;
  /** The interned device descriptor of this backend instance. */
  readonly device: DeviceDescriptor;
  /** The dtypes this backend can store; the op layer throws DTypeError for others. */
  readonly dtypes: readonly DType[];

  // ---- storage ----
  /** Makes storage holding `data` (length = element count). The backend may keep `data`; callers don't reuse it. */
  upload(data: TypedArray, dtype: DType): S;
  /** Reads a copy of the values (the typed array of `dtypeArray(x.dtype)`). */
  read(x: TensorView<S>): Promise<TypedArray>;
  /** Synchronous read; absent where the device can only read asynchronously. */
  readSync?(x: TensorView<S>): TypedArray;
  /** Frees storage now (or returns it to a pool). Called exactly once per storage by the tensor layer. */
  dispose(storage: S): void;
  /** Pool and device memory facts. */
  memoryInfo(): BackendMemoryInfo;
  /** Releases pooled memory, if the backend pools. */
  trimPool?(): void;
  /**
   * Resolves when the device's queue is not too far behind the host (WebGPU); absent where work runs
   * synchronously. Async entry points (`toDevice`) await it, so loops that never read back stay bounded.
   */
  backpressure?(): Promise<void>;

  // ---- creation and copies ----
  /** A tensor of `size` elements all equal to `value`. */
  fill(size: number, value: number, dtype: DType): S;
  /** `start, start + step, ...` (`size` elements). */
  arange(start: number, step: number, size: number, dtype: DType): S;
  /** Converts element type (float → int truncates toward zero; anything → bool is `!= 0`). */
  cast(x: TensorView<S>, dtype: DType): S;
  /** Copies `src`'s values into `dst`'s storage in place (same size and dtype). */
  write(dst: TensorView<S>, src: TensorView<S>): void;

  // ---- element-wise ----
  /** `op` applied element-wise; `param` is leakyrelu's slope or elu's α. Output dtype = input dtype. */
  unary(op: UnaryOp, x: TensorView<S>, param: number): S;
  /** The VJP of `op`: `dy .* op'(x)`, given input `x`, forward output `y` and cotangent `dy` (same shapes). */
  unaryGrad(op: UnaryOp, x: TensorView<S>, y: TensorView<S>, dy: TensorView<S>, param: number): S;
  /** `op` broadcast (Julia rules) to `outShape`. Operands share one dtype; comparisons return bool. */
  binary(op: BinaryOp, a: TensorView<S>, b: TensorView<S>, outShape: Shape): S;
  /** `cond ? a : b` broadcast to `outShape`; `cond` is bool, `a` and `b` share a dtype. */
  where(cond: TensorView<S>, a: TensorView<S>, b: TensorView<S>, outShape: Shape): S;
  /** Broadcasts (copies) `x` to `outShape`. */
  expand(x: TensorView<S>, outShape: Shape): S;
  /**
   * Optional fused `act.(a .* x .+ b)` broadcast to `outShape` in one pass (one dtype; `act` is a unary op
   * or "identity", `param` as for `unary`). Where absent, the op layer composes `binary` and `unary`.
   */
  affineAct?(
    act: UnaryOp | "identity",
    param: number,
    a: TensorView<S>,
    x: TensorView<S>,
    b: TensorView<S>,
    outShape: Shape,
  ): S;
  /**
   * Optional fused dense layer `act.(w * x .+ b)`: `w` is `[out, in]`, `x` is `[in, n]`, `b` is `[out, 1]`
   * (or `[out]`) or null, the output `[out, n]`. Where absent, the op layer uses `matmul` + `affineAct`.
   */
  denseAct?(
    act: UnaryOp | "identity",
    param: number,
    w: TensorView<S>,
    x: TensorView<S>,
    b: TensorView<S> | null,
    outShape: Shape,
  ): S;

  /**
   * Optional fused convolution layer `act.(conv(x, w) .+ b)`: `b` holds one value per output channel
   * (`[Cout]` elements) or is null; the bias and activation are applied to each part of the output as the
   * convolution leaves it (still in cache), as `affineAct` would apply them to the whole output. Where
   * absent, the op layer runs `conv2d` and then `affineAct`.
   */
  conv2dBiasAct?(
    act: UnaryOp | "identity",
    param: number,
    x: TensorView<S>,
    w: TensorView<S>,
    b: TensorView<S> | null,
    g: Conv2dGeometry,
  ): S;

  /**
   * Optional backward pass of `relu.(x .+ b)` from its output `y` and cotangent `dy` (same shape), in one
   * pass: `dx = dy .* (y .> 0)` (y's shape) and `db`, dx summed down to `biasShape` (b's shape, which
   * broadcasts to y's). Where absent, the op layer uses `unaryGrad` and `reduce`.
   */
  reluBiasGrad?(y: TensorView<S>, dy: TensorView<S>, biasShape: Shape): [dx: S, db: S];

  // ---- reductions ----
  /** Reduces over `axes` (0-based, sorted); the output keeps them as size-1 dims. */
  reduce(op: ReduceOp, x: TensorView<S>, axes: readonly number[]): S;
  /** 0-based index of the max/min along `axis` (first one on ties), dtype i32, axis kept as size 1. */
  argReduce(op: ArgReduceOp, x: TensorView<S>, axis: number): S;
  /** Softmax (or log-softmax when `log`) along `axis`, computed stably (max subtracted). */
  softmax(x: TensorView<S>, axis: number, log: boolean): S;
  /** Its VJP from the forward output `y`: `y .* (dy .- sum(dy .* y))`, or `dy .- exp(y) .* sum(dy)` when `log`. */
  softmaxGrad(y: TensorView<S>, dy: TensorView<S>, axis: number, log: boolean): S;
  /**
   * Layer normalisation of each consecutive line of `len` elements (the leading dims):
   * `(x .- mean) ./ sqrt.(var .+ eps)`, `var` the population variance, computed in two passes.
   */
  layernorm(x: TensorView<S>, len: number, eps: number): S;
  /** Its VJP from the input `x`: `rstd .* (dy .- mean(dy) .- y .* mean(dy .* y))` per line. */
  layernormGrad(x: TensorView<S>, dy: TensorView<S>, len: number, eps: number): S;
  /**
   * Optional: `layernorm` followed by Flux's `Scale` (`.* scale .+ bias`, both `len` elements; bias null for
   * none) in one pass per line, as PyTorch's `layer_norm` with weight and bias. Where absent, the op layer
   * applies the scale and bias with `mul` and `add`.
   */
  layernormAffine?(
    x: TensorView<S>,
    scale: TensorView<S>,
    bias: TensorView<S> | null,
    len: number,
    eps: number,
  ): S;
  /** The backward pass of `layernormAffine`, present exactly when it is (null for cotangents not wanted). */
  layernormAffineGrad?(
    x: TensorView<S>,
    scale: TensorView<S>,
    dy: TensorView<S>,
    len: number,
    eps: number,
    wants: { readonly x: boolean; readonly scale: boolean; readonly bias: boolean },
  ): { dx: S | null; dscale: S | null; dbias: S | null };

  // ---- linear algebra and layout ----
  /**
   * Column-major batched matmul: `op(A)[m×k] * op(B)[k×n]` for each trailing batch index. Both operands
   * are at least 2-D; batch dims (dims 3...) are equal, or one side has none and is reused for every batch.
   * The output is `[m, n, batch...]`.
   */
  matmul(a: TensorView<S>, b: TensorView<S>, opts: MatmulOptions, outShape: Shape): S;
  /** Permutes dims: output dim i is input dim `perm[i]` (0-based). */
  permute(x: TensorView<S>, perm: readonly number[]): S;
  /** Picks `indices` (0-based, in range) along `axis`; the output has `indices.length` there. */
  gather(x: TensorView<S>, axis: number, indices: Int32Array): S;
  /** Zeros of `outShape` with `dy`'s slices added at `indices` along `axis` (the VJP of gather). */
  scatterAdd(dy: TensorView<S>, axis: number, indices: Int32Array, outShape: Shape): S;
  /** Concatenates along `axis`; all other dims equal, one dtype. */
  concat(xs: readonly TensorView<S>[], axis: number, outShape: Shape): S;
  /** Columns of a `[nclasses, n]` one-hot matrix from 0-based class indices (-1 gives an all-zero column). */
  onehot(indices: Int32Array, nclasses: number, dtype: DType): S;

  // ---- convolution and pooling (Flux layout [W, H, C, N]) ----
  conv2d(x: TensorView<S>, w: TensorView<S>, g: Conv2dGeometry): S;
  /** d(conv)/dx: the input gradient of shape `g.inShape`. */
  conv2dBackwardInput(dy: TensorView<S>, w: TensorView<S>, g: Conv2dGeometry): S;
  /** d(conv)/dw: the weight gradient of shape `g.weightShape`. */
  conv2dBackwardFilter(x: TensorView<S>, dy: TensorView<S>, g: Conv2dGeometry): S;
  pool2d(op: PoolOp, x: TensorView<S>, g: Pool2dGeometry): S;
  /** The input gradient of pooling (max: to the first max of each window). */
  pool2dBackward(op: PoolOp, x: TensorView<S>, y: TensorView<S>, dy: TensorView<S>, g: Pool2dGeometry): S;

  // ---- recurrent layers ----
  /**
   * Optional fused LSTM layer over whole sequences, as cuDNN's: the input projection of every step and the
   * time loop inside the backend (per step one GEMM and one pass over the gates). Where absent, the op
   * layer runs the same recurrence as matmul and element-wise ops.
   */
  lstmSequence?(ops: LstmSequenceOperands<S>): LstmSequenceOutput<S>;
  /**
   * The backward pass of `lstmSequence`, present exactly when it is: the forward's operands and `saved`
   * storages, `dy` the cotangent of `y` (`[n, T, B]`), `dcLast` that of `cLast` (null for zero).
   */
  lstmSequenceBackward?(
    ops: LstmSequenceOperands<S>,
    saved: readonly S[],
    dy: TensorView<S>,
    dcLast: TensorView<S> | null,
    wants: LstmSequenceWants,
  ): LstmSequenceGrads<S>;

  /**
   * Optional fused GRU layer over whole sequences (Flux's GRUCell, gates r, z, n; `wi` `[3n, in]`, `wh`
   * `[3n, n]`, `b` `[3n]`), as `lstmSequence`. Where absent, the op layer composes ops.
   */
  gruSequence?(ops: GruSequenceOperands<S>): GruSequenceOutput<S>;
  /** The backward pass of `gruSequence`, present exactly when it is; `dy` is the cotangent of `y`. */
  gruSequenceBackward?(
    ops: GruSequenceOperands<S>,
    saved: readonly S[],
    dy: TensorView<S>,
    wants: LstmSequenceWants,
  ): GruSequenceGrads<S>;

  // ---- attention ----
  /**
   * Optional fused multi-head attention, as PyTorch's CPU `scaled_dot_product_attention`: per head and
   * batch index, the scores `kᵀ q * scale` (masked when causal), their softmax over keys and `v` times the
   * weights, read from and written to the head's rows in place (no head split or merge copies). Where
   * absent, the op layer composes the same math from permutedims, matmul, where and softmax.
   */
  attention?(ops: AttentionOperands<S>): AttentionOutput<S>;
  /**
   * The backward pass of `attention`, present exactly when it is: `weights` its forward output, `dy` the
   * cotangent of `y` (null for zero) and `dweights` that of the weights (null for zero).
   */
  attentionBackward?(
    ops: AttentionOperands<S>,
    weights: TensorView<S>,
    dy: TensorView<S> | null,
    dweights: TensorView<S> | null,
    wants: { readonly q: boolean; readonly k: boolean; readonly v: boolean },
  ): AttentionGrads<S>;

  // ---- optimisers ----
  /**
   * Optional fused optimiser step, IN PLACE (with `write`, the only primitive that modifies its operands):
   * `d = g`, then each op of `ops` in order (see `OPTIMISER_STEP_OPS`: each reads `x`, updates `d` and its
   * own state tensors `state[op.state...]`), then `x -= d`, in one pass. `x`, `g` and the state share `x`'s
   * dtype (f32, or f64 where stored; never f16) and shape, except `scale`'s one-element factor. Where absent,
   * @flux/optim runs its rules as element-wise ops.
   */
  optimiserStep?(
    ops: readonly PackedOptimiserOp[],
    x: TensorView<S>,
    g: TensorView<S>,
    state: readonly TensorView<S>[],
  ): void;
  /** The most ops and state tensors one `optimiserStep` call may take here (absent: no limit). */
  readonly optimiserStepLimits?: { readonly ops: number; readonly state: number };
}
