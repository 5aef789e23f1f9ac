// A Promise where a collective's argument belongs (a missing `await` on a device move) is refused at the
// call, as everywhere in @flux. But the other ranks are already on their way into that collective: if
// this rank simply skipped it, they would pair it with this rank's NEXT collective and could return its
// data as theirs. So the refusing rank still takes its turn in the signature exchange, with a signature
// no rank can match: the others fail with a mismatch, and the order of collectives stays in step.
import { checkNotPromise } from "@flux/functors";
import type { DistributedBackend } from "./backend.js";
import { type CollectiveName, INVALID_DTYPE, checkSignatures } from "./safety.js";

/**
 * Throws `UnawaitedPromiseError` when `x` is a Promise, after queueing this rank's part of the signature
 * exchange of `collective` (its outcome is dropped: the thrown error is this rank's answer).
 */
export function refuseUnawaited(
  b: DistributedBackend,
  x: unknown,
  fn: string,
  argument: string,
  collective: CollectiveName,
  opCode: number,
  root: number,
): void {
  try {
    checkNotPromise(x, fn, argument);
  } catch (e) {
    b.serialize(() =>
      checkSignatures(b.transport, {
        collective,
        length: 0,
        opCode,
        root,
        leaves: [{ dtypeCode: INVALID_DTYPE, shape: [] }],
      }),
    ).catch(() => {});
    throw e;
  }
}
