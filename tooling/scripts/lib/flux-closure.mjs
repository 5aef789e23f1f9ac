/**
 * The @flux packages that `manifest`'s package needs installed beside it, itself included: its @flux
 * dependencies and required (non-optional) @flux peers, followed transitively through `byName`
 * (package name → package.json). A name missing from `byName` is still listed (the caller reports that
 * no tarball exists for it) but not followed.
 *
 * @example fluxClosure(layers, byName) // ["@flux/layers", "@flux/kernels", "@flux/functors"]
 * @param {{ name: string, dependencies?: object, peerDependencies?: object, peerDependenciesMeta?: object }} manifest
 * @param {Map<string, typeof manifest>} byName
 * @returns {string[]}
 */
export function fluxClosure(manifest, byName) {
  const seen = new Set([manifest.name]);
  const queue = [manifest];
  while (queue.length > 0) {
    const m = queue.pop();
    const optional = m.peerDependenciesMeta ?? {};
    const needs = [
      ...Object.keys(m.dependencies ?? {}),
      ...Object.keys(m.peerDependencies ?? {}).filter((n) => !optional[n]?.optional),
    ];
    for (const name of needs) {
      if (!name.startsWith("@flux/") || seen.has(name)) continue;
      seen.add(name);
      if (byName.has(name)) queue.push(byName.get(name));
    }
  }
  return [...seen];
}
