// `instanceof Map` misses Maps from another realm (an iframe, a vm context); the tag check catches them.
export function isMapLike(x: unknown): x is Map<unknown, unknown> {
  return x instanceof Map || Object.prototype.toString.call(x) === "[object Map]";
}
