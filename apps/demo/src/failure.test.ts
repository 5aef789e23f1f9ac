import { DatasetNotFoundError } from "@flux/data";
import { describe, expect, it } from "vitest";
import { failureText } from "./failure.mjs";

describe("failureText", () => {
  it("prints a named error of the packages as one line, without a stack", () => {
    const text = failureText(new DatasetNotFoundError("FashionMNIST: neither nope/a.gz nor nope/a exists."));
    expect(text).toMatch(/^demo: DatasetNotFoundError: \[@flux\/data\] FashionMNIST: neither nope\/a\.gz/);
    expect(text.trim().split("\n")).toHaveLength(1);
  });

  it("keeps the stack of anything else (a bug), including a runtime's Error with an errno code", () => {
    expect(failureText(new TypeError("x is undefined"))).toMatch(/^TypeError: x is undefined\n\s+at /);
    const io = Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
    expect(failureText(io)).toMatch(/\n\s+at /);
    expect(failureText("plain")).toBe("plain\n");
  });
});
