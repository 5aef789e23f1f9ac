import { describe, expect, it } from "vitest";
import { callableClass } from "./callableClass.js";
import { FunctorDefinitionError } from "./errors.js";
import { fmap } from "./fmap.js";
import { functor } from "./functor.js";

class PointImpl {
  static origin(): PointImpl {
    return new PointImpl(0, 0);
  }
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const Point = callableClass(PointImpl, "Point");

describe("callableClass", () => {
  it("constructs with and without new, to the same kind of object", () => {
    const a = Point(1, 2);
    const b = new Point(1, 2);
    expect(a).toBeInstanceOf(Point);
    expect(b).toBeInstanceOf(Point);
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect([a.x, a.y]).toEqual([1, 2]);
  });

  it("keeps statics, the prototype and subclassing, and shows the public name", () => {
    expect(Point.origin()).toBeInstanceOf(Point);
    expect(Point.prototype).toBe(PointImpl.prototype);
    expect(Point.name).toBe("Point");
    class Point3 extends Point {
      constructor(
        x: number,
        y: number,
        readonly z: number,
      ) {
        super(x, y);
      }
    }
    const p = new Point3(1, 2, 3);
    expect(p).toBeInstanceOf(Point);
    expect(p.z).toBe(3);
  });

  it("leaves functor registration to the class: fmap rebuilds instances of a wrapped class", () => {
    functor(PointImpl, ["x", "y"]);
    const out = fmap((v: unknown) => (v as number) * 10, Point(1, 2));
    expect(out).toBeInstanceOf(Point);
    expect([out.x, out.y]).toEqual([10, 20]);
  });

  it("refuses what is not a class", () => {
    expect(() => callableClass(42 as never)).toThrow(FunctorDefinitionError);
    expect(() => callableClass((() => 1) as never)).toThrow(FunctorDefinitionError);
  });
});
