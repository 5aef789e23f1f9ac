// Small fixtures shared by the tests (the Functors.jl test structs, in TypeScript). Not exported by index.ts.
import { functor, leaf } from "./functor.js";

export class Foo {
  constructor(
    public x: unknown,
    public y: unknown,
  ) {}
}

export class Bar {
  constructor(public x: unknown) {}
}

/** Only `y` is a child (Functors' `@functor OneChild3 (y,)`). */
export class OneChild3 {
  constructor(
    public x: unknown,
    public y: unknown,
    public z: unknown,
  ) {}
}
functor(OneChild3, ["y"]);

/** No children, yet a container (Functors' `@functor NoChild2 ()`). */
export class NoChild2 {
  constructor(
    public x: unknown,
    public y: unknown,
  ) {}
}
functor(NoChild2, []);

/** Children listed out of field order (Functors' `@functor WrongOrder (z, x)`). */
export class WrongOrder {
  constructor(
    public x: unknown,
    public y: unknown,
    public z: unknown,
  ) {}
}
functor(WrongOrder, ["z", "x"]);

/** A leaf class (Functors' `@leaf LeafType`), standing in for a tensor. */
export class LeafType {
  constructor(public x: unknown) {}
}
leaf(LeafType);
