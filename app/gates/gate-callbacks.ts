import type { Approval, GateCallbacks } from '../approvals';

/** The callback adapters by kind: each request names at most one system that waits for it. */
export function gateCallbacks(byKind: { github: GateCallbacks; codepipeline: GateCallbacks }): GateCallbacks {
  return {
    callBack: async (approval: Approval) => {
      const kind = approval.origin?.callback?.kind;
      return kind === undefined ? { ok: true } : byKind[kind].callBack(approval);
    },
  };
}
