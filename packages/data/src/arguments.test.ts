// Unknown option keys and unawaited Promises are refused by name instead of being ignored.
import { UnawaitedPromiseError } from "@flux/functors";
import { zeros } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { DataArgumentError, DataLoader, getobs, mapobs, numobs } from "./index.js";

describe("DataLoader options", () => {
  it("a misspelt key is refused, naming the right spelling", () => {
    const X = zeros([2, 10]);
    expect(() => DataLoader(X, { batchSize: 5 } as never)).toThrow(DataArgumentError);
    expect(() => DataLoader(X, { batchSize: 5 } as never)).toThrow(
      /DataLoader: unknown option "batchSize"; did you mean "batchsize"\?/,
    );
    expect(() => DataLoader(X, { shufle: true } as never)).toThrow(/did you mean "shuffle"/);
    expect(() => DataLoader(X, { workers: 4 } as never)).toThrow(
      /unknown option "workers"\. Known options: batchsize/,
    );
    expect(() => DataLoader(X, 5 as never)).toThrow(/options must be an object/);
    expect(DataLoader(X, { batchsize: 5 }).length).toBe(2);
  });

  it("mapobs checks its options and its function", () => {
    expect(() => mapobs((x) => x, zeros([2, 3]), { batch: true } as never)).toThrow(/did you mean "batched"/);
    expect(() => mapobs(zeros([2, 3]) as never, zeros([2, 3]))).toThrow(/first argument must be a function/);
  });
});

describe("unawaited Promises", () => {
  it("DataLoader, getobs, numobs and mapobs say 'did you forget await?'", () => {
    const pending = Promise.resolve(zeros([2, 3]));
    expect(() => DataLoader(pending)).toThrow(UnawaitedPromiseError);
    expect(() => DataLoader(pending)).toThrow(/DataLoader: `data` is a Promise/);
    expect(() => getobs(pending, 0)).toThrow(/getobs: `data` is a Promise/);
    expect(() => numobs(pending)).toThrow(/numobs: `data` is a Promise/);
    expect(() => mapobs((x) => x, pending)).toThrow(/mapobs: `data` is a Promise/);
  });
});
