// How layers take part in printing: a compact one-line form, and for containers the children to expand.

/** @internal Containers (Chain, Parallel, SkipConnection) expose what `show` expands, under this key. */
export const SHOW_CHILDREN = Symbol.for("flux.layers.showChildren");

/** One expanded child: its name (named Chains) or null, and the value. */
export type ShowItem = readonly [name: string | null, value: unknown];

/** What a container shows: the opening text (`Chain(`), the closing text and the items. */
export interface ShowChildren {
  readonly pre: string;
  readonly post: string;
  readonly items: readonly ShowItem[];
}

/** @internal A container's show description. */
export interface ShowsChildren {
  [SHOW_CHILDREN](): ShowChildren;
}

/** A layer printable in one line (Julia's `Base.show`). */
export interface ShowsCompact {
  showCompact(): string;
}
