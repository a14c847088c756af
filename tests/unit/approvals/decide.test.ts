import { describe, expect, it } from '@jest/globals';
import { decide } from '../../../app/approvals/decide';
import type { Approval, DecisionOutput, StageOutput } from '../../../app/approvals/model';
import type {
  ApprovalStore,
  CallbackOutcome,
  CloseOutHandoff,
  TaskCallbacks,
} from '../../../app/approvals/ports';

const NOW = new Date('2026-11-22T12:00:00Z');

function pending(overrides: Partial<Approval> = {}): Approval {
  return {
    id: 'GL-7K3F9Q',
    status: 'PENDING',
    title: 'Deploy',
    requester: 'U0RITA',
    approvers: ['U0ANA', 'U0OMAR'],
    channelId: 'C0APPROVAL',
    createdAt: '2026-11-22T11:00:00Z',
    expiresAt: '2026-11-22T13:00:00Z',
    timeoutSeconds: 7200,
    email: false,
    ...overrides,
  };
}

/** An in-memory store that applies the same conditions as the DynamoDB write (unit tests only). */
function memoryStore(initial: Approval | undefined, token: string | null = 'token-1') {
  let record = initial;
  const store: ApprovalStore = {
    get: async () => record,
    recordVote: async (_id, decision, mode, rules) => {
      const current = record;
      const allowed =
        current !== undefined &&
        current.status === 'PENDING' &&
        Date.parse(current.expiresAt) > rules.now.getTime() &&
        current.approvers.includes(decision.decider) &&
        !current.votes?.some((vote) => vote.voter === decision.decider) &&
        (rules.allowSelfApproval || current.requester !== decision.decider);
      const remaining = current?.remaining ?? 1;
      const approving = decision.status === 'APPROVED';
      if (!allowed || (approving && (mode === 'close' ? remaining > 1 : remaining <= 1)))
        return { won: false };
      const vote = {
        voter: decision.decider,
        decision: approving ? ('approve' as const) : ('reject' as const),
        at: decision.decidedAt,
        via: decision.via,
      };
      const votes = [...(current.votes ?? []), vote];
      record =
        mode === 'count'
          ? { ...current, remaining: remaining - 1, votes }
          : {
              ...current,
              votes,
              ...(approving ? { remaining: 0 } : {}),
              status: decision.status,
              decider: decision.decider,
              decidedAt: decision.decidedAt,
              decidedVia: decision.via,
              ...(decision.comment ? { comment: decision.comment } : {}),
            };
      return { won: true, approval: record, taskToken: mode === 'close' ? (token ?? undefined) : undefined };
    },
  };
  return { store, current: () => record };
}

function recordingCallbacks(outcome: CallbackOutcome = 'delivered') {
  const calls: Array<[string, string, DecisionOutput | StageOutput]> = [];
  const callbacks: TaskCallbacks = {
    succeed: async (token, output) => {
      calls.push(['succeed', token, output]);
      return outcome;
    },
    fail: async (token, error, cause) => {
      calls.push([`fail:${error}`, token, cause]);
      return outcome;
    },
  };
  return { callbacks, calls };
}

const policy = { allowSelfApproval: false };

/** Records each hand-off to the close-out function. */
function handoff(answer: 'handed-off' | 'left-to-sweep' = 'handed-off') {
  const calls: Array<[string, string]> = [];
  const closeOut: CloseOutHandoff = {
    handOff: async (approvalId, reason) => {
      calls.push([approvalId, reason]);
      return answer;
    },
  };
  return { closeOut, calls };
}

describe('decide', () => {
  it('records an approval and completes the waiting task with the decision', async () => {
    const { store, current } = memoryStore(pending());
    const { callbacks, calls } = recordingCallbacks();
    const result = await decide(
      { store, callbacks, closeOut: handoff().closeOut, policy },
      { approvalId: 'GL-7K3F9Q', decision: 'approve', decider: 'U0ANA', via: 'slack', now: NOW },
    );
    expect(result).toEqual({ ok: true, approval: current(), callback: 'delivered' });
    expect(calls).toEqual([
      ['succeed', 'token-1', { status: 'APPROVED', decider: 'U0ANA', decidedAt: NOW.toISOString() }],
    ]);
  });

  it('fails the task with Greenlight.Rejected and the trimmed comment on reject', async () => {
    const { store } = memoryStore(pending());
    const { callbacks, calls } = recordingCallbacks();
    await decide(
      { store, callbacks, closeOut: handoff().closeOut, policy },
      {
        approvalId: 'GL-7K3F9Q',
        decision: 'reject',
        decider: 'U0OMAR',
        comment: '  not now  ',
        via: 'email',
        now: NOW,
      },
    );
    expect(calls).toEqual([
      [
        'fail:Greenlight.Rejected',
        'token-1',
        expect.objectContaining({ status: 'REJECTED', comment: 'not now' }),
      ],
    ]);
  });

  it('lets the second of two decisions lose, saying who won, without a second callback', async () => {
    const { store } = memoryStore(pending());
    const { callbacks, calls } = recordingCallbacks();
    await decide(
      { store, callbacks, closeOut: handoff().closeOut, policy },
      { approvalId: 'GL-7K3F9Q', decision: 'approve', decider: 'U0ANA', via: 'slack', now: NOW },
    );
    const second = await decide(
      { store, callbacks, closeOut: handoff().closeOut, policy },
      { approvalId: 'GL-7K3F9Q', decision: 'reject', decider: 'U0OMAR', via: 'slack', now: NOW },
    );
    expect(second).toEqual({
      ok: false,
      reason: 'already-decided',
      approval: expect.objectContaining({ status: 'APPROVED', decider: 'U0ANA' }),
    });
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['someone not named', 'U0SAM', pending(), 'not-an-approver'],
    ['the requester', 'U0RITA', pending({ approvers: ['U0ANA', 'U0RITA'] }), 'own-request'],
    ['anyone after the deadline', 'U0ANA', pending({ expiresAt: '2026-11-22T11:59:59Z' }), 'expired'],
  ] as const)('refuses %s and changes nothing', async (_who, decider, approval, reason) => {
    const { store, current } = memoryStore(approval);
    const { callbacks, calls } = recordingCallbacks();
    const result = await decide(
      { store, callbacks, closeOut: handoff().closeOut, policy },
      { approvalId: 'GL-7K3F9Q', decision: 'approve', decider, via: 'slack', now: NOW },
    );
    expect(result).toEqual(expect.objectContaining({ ok: false, reason }));
    expect(current()?.status).toBe('PENDING');
    expect(calls).toEqual([]);
  });

  it('lets a requester decide their own request when the policy allows it', async () => {
    const { store } = memoryStore(pending({ approvers: ['U0RITA'] }));
    const { callbacks } = recordingCallbacks();
    const result = await decide(
      { store, callbacks, closeOut: handoff().closeOut, policy: { allowSelfApproval: true } },
      { approvalId: 'GL-7K3F9Q', decision: 'approve', decider: 'U0RITA', via: 'slack', now: NOW },
    );
    expect(result.ok).toBe(true);
  });

  it('says not-found for an unknown request', async () => {
    const { store } = memoryStore(undefined);
    const { callbacks } = recordingCallbacks();
    expect(
      await decide(
        { store, callbacks, closeOut: handoff().closeOut, policy },
        { approvalId: 'GL-0000ZZ', decision: 'approve', decider: 'U0ANA', via: 'slack', now: NOW },
      ),
    ).toEqual({ ok: false, reason: 'not-found' });
  });

  it('keeps a decision whose task is gone and hands the request to the close-out, saying why', async () => {
    const { store } = memoryStore(pending());
    const { callbacks } = recordingCallbacks('TaskDoesNotExist');
    const { closeOut, calls } = handoff();
    const result = await decide(
      { store, callbacks, closeOut, policy },
      { approvalId: 'GL-7K3F9Q', decision: 'approve', decider: 'U0ANA', via: 'slack', now: NOW },
    );
    expect({ result, calls }).toEqual({
      result: expect.objectContaining({ ok: true, callback: 'TaskDoesNotExist', closeOut: 'handed-off' }),
      calls: [['GL-7K3F9Q', 'workflow task gone: TaskDoesNotExist']],
    });
  });

  it('still records the decision when even the hand-off fails, leaving the request to the sweep', async () => {
    const { store, current } = memoryStore(pending());
    const { callbacks } = recordingCallbacks('TaskTimedOut');
    const result = await decide(
      { store, callbacks, closeOut: handoff('left-to-sweep').closeOut, policy },
      { approvalId: 'GL-7K3F9Q', decision: 'reject', decider: 'U0ANA', via: 'slack', now: NOW },
    );
    expect(result).toEqual({
      ok: true,
      approval: current(),
      callback: 'TaskTimedOut',
      closeOut: 'left-to-sweep',
    });
  });

  it('hands nothing off when the workflow took the decision', async () => {
    const { store } = memoryStore(pending());
    const { callbacks } = recordingCallbacks();
    const { closeOut, calls } = handoff();
    await decide(
      { store, callbacks, closeOut, policy },
      { approvalId: 'GL-7K3F9Q', decision: 'approve', decider: 'U0ANA', via: 'slack', now: NOW },
    );
    expect(calls).toEqual([]);
  });

  it('records a decision made before the token was stored, leaving the first task to finish itself', async () => {
    const { store } = memoryStore(pending(), null);
    const { callbacks, calls } = recordingCallbacks();
    const result = await decide(
      { store, callbacks, closeOut: handoff().closeOut, policy },
      { approvalId: 'GL-7K3F9Q', decision: 'approve', decider: 'U0ANA', via: 'slack', now: NOW },
    );
    expect(result).toEqual(expect.objectContaining({ ok: true, callback: 'no-token-yet' }));
    expect(calls).toEqual([]);
  });
});
