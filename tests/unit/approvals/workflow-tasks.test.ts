import { describe, expect, it } from '@jest/globals';
import type { Approval } from '../../../app/approvals/model';
import type { NewApproval } from '../../../app/approvals/new-request';
import type { WorkflowStore } from '../../../app/approvals/workflow-ports';
import {
  AlreadyClosedError,
  announceOutcome,
  requestDecision,
  verifyCallback,
  type WorkflowTaskDeps,
} from '../../../app/approvals/workflow-tasks';
import type { MetricDimensions, MetricValues } from '../../../app/shared/metrics';

const request: NewApproval = {
  id: 'GL-7K3F9Q',
  title: 'Deploy',
  requester: 'U0RITA',
  approvers: ['U0ANA', 'U0OMAR'],
  channelId: 'C1',
  createdAt: '2026-11-22T12:00:00.000Z',
  expiresAt: '2026-11-22T13:00:00.000Z',
  expiresAtEpoch: 1_795_352_400,
  timeoutSeconds: 3600,
  email: true,
  need: 1,
  policy: '',
  requireCommentOn: 'none',
  selfApproval: false,
  groupsJson: '[]',
  scheduleJson: '',
  stagesJson: '',
};

/** In-memory doubles for a unit test of the task's sequencing; the integration tests use the real parts. */
function harness(status: Approval['status'] = 'PENDING', overrides: Partial<Approval> = {}) {
  let record: Approval = { ...request, status, ...overrides };
  let postingSince: number | undefined;
  const claimed = new Set<string>();
  const calls: string[] = [];
  const emitted: Array<{ values: MetricValues; dimensions: MetricDimensions | undefined }> = [];
  const store: WorkflowStore = {
    get: async () => record,
    openForDecision: async () =>
      record.status === 'PENDING' ? { open: true, approval: { ...record } } : { open: false },
    writeInbox: async () => {
      calls.push('inbox');
    },
    appendEvent: async () => true,
    claimPosting: async (_id, at, leaseMs) => {
      if (record.messageTs || (postingSince !== undefined && postingSince > at.getTime() - leaseMs))
        return false;
      postingSince = at.getTime();
      return true;
    },
    recordMessage: async (_id, ts) => {
      record = { ...record, messageTs: ts };
    },
    recordDeliveryProblem: async (_id, problem) => {
      calls.push(`problem:${problem}`);
    },
    claimOnce: async (_id, step) => {
      if (claimed.has(step)) return false;
      claimed.add(step);
      return true;
    },
    releaseClaim: async (_id, step) => {
      claimed.delete(step);
    },
    closeOut: async () => {
      calls.push('closeOut');
    },
  };
  const failures = { putEvents: 0 };
  const deps: WorkflowTaskDeps = {
    store,
    notifier: {
      publish: async (approval) => {
        calls.push(approval.messageTs ? `update:${approval.messageTs}` : 'post');
        return { ok: true, messageTs: approval.messageTs ?? '1.000' };
      },
      update: async () => {
        calls.push('update');
        return { ok: true };
      },
      tellRequester: async () => {
        calls.push('tell');
        return { ok: true };
      },
      remind: async () => ({ ok: true }),
      tellUndecided: async () => ({ ok: true }),
      escalated: async () => ({ ok: true }),
      tellRequesterOfProblem: async () => ({ ok: true }),
    },
    directory: { displayName: async (id) => id, email: async (id) => `${id}@example.test` },
    mailer: {
      send: async (to) => {
        calls.push(`mail:${to}`);
      },
    },
    push: {
      approvalChanged: async () => {
        calls.push('push');
      },
    },
    events: {
      updated: async (update) => {
        calls.push(`updated:${update.event.kind}`);
      },
      decided: async (outcome) => {
        if (failures.putEvents > 0) {
          failures.putEvents -= 1;
          throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        }
        calls.push(`event:${outcome.status}`);
      },
    },
    channels: { isPrivate: async () => false },
    links: { baseUrl: 'https://api.example/prod', key: 'k' },
    emailOverrides: {},
    now: () => new Date('2026-11-22T12:00:01Z'),
    pause: async () => {
      calls.push('pause');
      await onPause();
    },
    warn: () => {},
    metrics: { emit: (values, dimensions) => emitted.push({ values, dimensions }) },
    callbackRefused: (details) => {
      calls.push(`refused:${details.execution}:${JSON.stringify(details.mismatch.claimed)}`);
    },
  };
  let onPause: () => Promise<void> = async () => {};
  const whilePausing = (action: () => Promise<void>) => {
    onPause = action;
  };
  return {
    deps,
    calls,
    store,
    whilePausing,
    failures,
    emitted,
    decide: (change: Partial<Approval>) => {
      record = { ...record, ...change };
    },
  };
}

describe('requestDecision', () => {
  it('posts once, publishes the request once and mails each approver once, even when the task is retried', async () => {
    const { deps, calls } = harness();
    await requestDecision(deps, { request, taskToken: 't1' });
    await requestDecision(deps, { request, taskToken: 't2' });
    expect(calls).toEqual([
      'inbox',
      'updated:requested',
      'post',
      'mail:U0ANA@example.test',
      'mail:U0OMAR@example.test',
      'inbox',
      'update:1.000',
    ]);
  });

  it('waits for a run that is still posting and updates its message, never posting a twin', async () => {
    const { deps, calls, store, whilePausing } = harness();
    // The first run claimed the post and has not recorded the ts yet; it does while we wait.
    await store.claimPosting(request.id, deps.now(), 15_000);
    whilePausing(() => store.recordMessage(request.id, '7.000'));
    await requestDecision(deps, { request, taskToken: 't2' });
    expect(calls.filter((call) => !call.startsWith('mail:'))).toEqual([
      'inbox',
      'updated:requested',
      'pause',
      'update:7.000',
    ]);
  });

  it('posts once the claim of a run that died has lapsed', async () => {
    const { deps, calls, store } = harness();
    await store.claimPosting(request.id, new Date(deps.now().getTime() - 20_000), 15_000);
    await requestDecision(deps, { request, taskToken: 't2' });
    expect(calls.filter((call) => !call.startsWith('mail:'))).toEqual(['inbox', 'updated:requested', 'post']);
  });

  it('fails with Greenlight.AlreadyClosed when the request closed before the task ran', async () => {
    const { deps, calls } = harness('CANCELLED');
    await expect(requestDecision(deps, { request, taskToken: 't1' })).rejects.toThrow(AlreadyClosedError);
    await expect(requestDecision(deps, { request, taskToken: 't1' })).rejects.toMatchObject({
      name: 'Greenlight.AlreadyClosed',
    });
    expect(calls).toEqual([]);
  });
});

describe('announceOutcome', () => {
  const decided = { messageTs: '1.000', decider: 'U0ANA', decidedAt: '2026-11-22T12:00:00.500Z' } as const;

  it('redraws, tells, publishes, pushes and settles a decided request, in that order', async () => {
    const { deps, calls } = harness('APPROVED', decided);
    const outcome = await announceOutcome(deps, { approvalId: request.id });
    expect({ calls, outcome }).toEqual({
      calls: ['update', 'tell', 'event:APPROVED', 'push', 'closeOut'],
      outcome: expect.objectContaining({ id: request.id, status: 'APPROVED', decider: 'U0ANA' }),
    });
  });

  it('tells the requester and publishes the event once when announced again (a retry, the close-out, the sweep)', async () => {
    const { deps, calls } = harness('REJECTED', decided);
    await announceOutcome(deps, { approvalId: request.id });
    await announceOutcome(deps, { approvalId: request.id });
    expect(calls.filter((call) => call === 'tell' || call.startsWith('event:'))).toEqual([
      'tell',
      'event:REJECTED',
    ]);
  });

  it('gives the event back when EventBridge refuses it, so the retry publishes it', async () => {
    const { deps, calls, failures } = harness('APPROVED', decided);
    failures.putEvents = 1;
    await expect(announceOutcome(deps, { approvalId: request.id })).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    await announceOutcome(deps, { approvalId: request.id });
    expect(calls.filter((call) => call.startsWith('event:') || call === 'closeOut')).toEqual([
      'event:APPROVED',
      'closeOut',
    ]);
  });

  it('publishes nothing and settles nothing for a request still pending', async () => {
    const { deps, calls } = harness('PENDING');
    await announceOutcome(deps, { approvalId: request.id });
    expect(calls).toEqual(['push']);
  });
});

describe('announceOutcome, for a request another system waits for', () => {
  const github = {
    messageTs: '1.000',
    decider: 'U0ANA',
    decidedAt: '2026-11-22T12:00:00.500Z',
    origin: {
      system: 'GitHub acme/app (production)',
      callback: {
        kind: 'github',
        installationId: 1,
        owner: 'acme',
        repo: 'app',
        runId: 7,
        environment: 'production',
      },
    },
  } as const satisfies Partial<Approval>;

  function withCallbacks(answers: Array<{ ok: true } | { ok: false; problem: string; final?: true }>) {
    const h = harness('APPROVED', github);
    h.deps.gateCallbacks = {
      callBack: async () => {
        const next = answers.shift() ?? { ok: true };
        h.calls.push(`callBack:${next.ok ? 'ok' : 'failed'}`);
        return next.ok
          ? next
          : next.final
            ? { ok: false, problem: next.problem, final: true }
            : { ok: false, problem: next.problem };
      },
    };
    return h;
  }

  it('calls back once, before settling', async () => {
    const { deps, calls } = withCallbacks([{ ok: true }]);
    await announceOutcome(deps, { approvalId: request.id });
    await announceOutcome(deps, { approvalId: request.id });
    expect(calls.filter((call) => call.startsWith('callBack') || call === 'closeOut')).toEqual([
      'callBack:ok',
      'closeOut',
      'closeOut',
    ]);
  });

  it('records a failed call back and leaves the request unsettled, so the sweep calls again', async () => {
    const { deps, calls } = withCallbacks([{ ok: false, problem: 'GitHub answered 502' }, { ok: true }]);
    await announceOutcome(deps, { approvalId: request.id });
    expect(
      calls.filter(
        (call) => call.startsWith('callBack') || call.startsWith('problem') || call === 'closeOut',
      ),
    ).toEqual(['callBack:failed', 'problem:GitHub answered 502']);
    await announceOutcome(deps, { approvalId: request.id });
    expect(calls.slice(-2)).toEqual(['callBack:ok', 'closeOut']);
  });

  it('settles after a final refusal (the waiting side will never take it), with the problem recorded', async () => {
    const { deps, calls } = withCallbacks([{ ok: false, problem: 'token expired', final: true }]);
    await announceOutcome(deps, { approvalId: request.id });
    expect(calls.slice(-3)).toEqual(['callBack:failed', 'problem:token expired', 'closeOut']);
  });
});

describe('announceOutcome metrics', () => {
  it('counts a decision once, with the time it took, however often the task runs', async () => {
    const { deps, emitted, decide } = harness();
    decide({ status: 'APPROVED', decider: 'U0ANA', decidedAt: '2026-11-22T12:01:30.000Z' });
    await announceOutcome(deps, { approvalId: request.id });
    await announceOutcome(deps, { approvalId: request.id });
    expect(emitted).toEqual([
      { values: { decisions: 1, timeToDecision: 90 }, dimensions: { Outcome: 'APPROVED' } },
    ]);
  });

  it('counts an expiry by its outcome without a time to decision', async () => {
    const { deps, emitted, decide } = harness();
    decide({ status: 'EXPIRED', decidedAt: '2026-11-22T13:00:00.000Z' });
    await announceOutcome(deps, { approvalId: request.id });
    expect(emitted).toEqual([{ values: { decisions: 1 }, dimensions: { Outcome: 'EXPIRED' } }]);
  });

  it('counts nothing while the request is still pending', async () => {
    const { deps, emitted } = harness();
    await announceOutcome(deps, { approvalId: request.id });
    expect(emitted).toEqual([]);
  });
});

describe('verifyCallback', () => {
  const forged = { output: { status: 'APPROVED', decider: 'U0ANA' } };

  it('reports a callback the record does not back as a security event, and re-arms', async () => {
    const { deps, calls } = harness();
    const verdict = await verifyCallback(deps, {
      approvalId: request.id,
      execution: 'arn:exec',
      wakeUp: forged,
      rearms: 0,
    });
    expect(verdict).toEqual(expect.objectContaining({ verdict: 'rearm', rearms: 1 }));
    expect(calls).toEqual(['refused:arn:exec:{"status":"APPROVED","decider":"U0ANA"}']);
  });

  it('reports nothing when the record carries the decision', async () => {
    const { deps, calls } = harness('APPROVED', { decider: 'U0ANA' });
    const verdict = await verifyCallback(deps, {
      approvalId: request.id,
      execution: 'arn:exec',
      wakeUp: forged,
      rearms: 0,
    });
    expect(verdict).toEqual({ verdict: 'accept' });
    expect(calls).toEqual([]);
  });
});
