import { describe, expect, it } from '@jest/globals';
import { type CloseOutDeps, sweep, type UnsettledRequest } from '../../../app/approvals/close-out';
import type { Approval } from '../../../app/approvals/model';

const NOW = new Date('2026-11-22T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const inMinutes = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

/** In-memory doubles for the sweep's decisions; the integration tests run the real store and function. */
function harness(requests: UnsettledRequest[], options: { running?: string[]; failing?: string[] } = {}) {
  const records = new Map<string, Approval>(
    requests.map((request) => [
      request.id,
      {
        id: request.id,
        status: request.status,
        title: request.id,
        requester: 'U0RITA',
        approvers: ['U0ANA'],
        channelId: 'C1',
        createdAt: minutesAgo(60),
        expiresAt: request.expiresAt,
        timeoutSeconds: 3600,
        email: false,
        ...(request.decidedAt ? { decidedAt: request.decidedAt } : {}),
      },
    ]),
  );
  const closedOut: string[] = [];
  const logged: Array<Record<string, unknown>> = [];
  const deps: CloseOutDeps = {
    store: {
      get: async (id) => {
        if (options.failing?.includes(id)) throw new Error('DynamoDB is unhappy');
        return records.get(id);
      },
      openForDecision: async () => ({ open: false }),
      writeInbox: async () => {},
      claimPosting: async () => false,
      appendEvent: async () => true,
      recordMessage: async () => {},
      recordDeliveryProblem: async () => {},
      claimOnce: async () => true,
      releaseClaim: async () => {},
      closeOut: async (approval) => {
        closedOut.push(`${approval.id}:${approval.status}`);
      },
    },
    sweepStore: {
      async *unsettled() {
        yield* requests;
      },
      expireIfPending: async (id) => {
        const record = records.get(id);
        if (record?.status !== 'PENDING') return false;
        records.set(id, { ...record, status: 'EXPIRED', decidedVia: 'timeout' });
        return true;
      },
    },
    executions: { isRunning: async (id) => options.running?.includes(id) ?? false },
    notifier: {
      publish: async () => ({ ok: true, messageTs: '1.0' }),
      update: async () => ({ ok: true }),
      tellRequester: async () => ({ ok: true }),
      remind: async () => ({ ok: true }),
      tellUndecided: async () => ({ ok: true }),
      escalated: async () => ({ ok: true }),
      tellRequesterOfProblem: async () => ({ ok: true }),
    },
    push: { approvalChanged: async () => {} },
    channels: { isPrivate: async () => false },
    events: { decided: async () => {}, updated: async () => {} },
    metrics: { emit: () => {} },
    now: () => NOW,
    graceMs: 120_000,
    warn: (message, fields) => logged.push({ message, ...fields }),
    info: (message, fields) => logged.push({ message, ...fields }),
  };
  return { deps, closedOut, logged };
}

describe('sweep', () => {
  it('announces a decision older than the grace period and leaves a fresh one to the workflow', async () => {
    const { deps, closedOut } = harness([
      { id: 'GL-OLD', status: 'APPROVED', expiresAt: inMinutes(60), decidedAt: minutesAgo(5) },
      { id: 'GL-NEW', status: 'REJECTED', expiresAt: inMinutes(60), decidedAt: minutesAgo(1) },
    ]);
    expect({ report: await sweep(deps), closedOut }).toEqual({
      report: { examined: 2, announced: 1, expired: 0, left: 1, failed: 0 },
      closedOut: ['GL-OLD:APPROVED'],
    });
  });

  it('expires a request pending past expiry only when its execution no longer runs', async () => {
    const { deps, closedOut } = harness(
      [
        { id: 'GL-DEAD', status: 'PENDING', expiresAt: minutesAgo(10) },
        { id: 'GL-LIVE', status: 'PENDING', expiresAt: minutesAgo(10) },
        { id: 'GL-OPEN', status: 'PENDING', expiresAt: inMinutes(10) },
      ],
      { running: ['GL-LIVE'] },
    );
    expect({ report: await sweep(deps), closedOut }).toEqual({
      report: { examined: 3, announced: 0, expired: 1, left: 2, failed: 0 },
      closedOut: ['GL-DEAD:EXPIRED'],
    });
  });

  it('counts and logs a failed close-out without stopping the sweep', async () => {
    const { deps, closedOut, logged } = harness(
      [
        { id: 'GL-BAD', status: 'APPROVED', expiresAt: inMinutes(60), decidedAt: minutesAgo(5) },
        { id: 'GL-GOOD', status: 'APPROVED', expiresAt: inMinutes(60), decidedAt: minutesAgo(5) },
      ],
      { failing: ['GL-BAD'] },
    );
    const report = await sweep(deps);
    expect({
      report,
      closedOut,
      failures: logged
        .filter((entry) => entry.message === 'approval_close_out_failed')
        .map((entry) => entry.approvalId),
    }).toEqual({
      report: { examined: 2, announced: 1, expired: 0, left: 0, failed: 1 },
      closedOut: ['GL-GOOD:APPROVED'],
      failures: ['GL-BAD'],
    });
  });

  it('logs why each request was closed out', async () => {
    const { deps, logged } = harness([{ id: 'GL-DEAD', status: 'PENDING', expiresAt: minutesAgo(10) }]);
    await sweep(deps);
    expect(logged).toEqual([
      {
        message: 'approval_closed_out',
        approvalId: 'GL-DEAD',
        status: 'EXPIRED',
        reason: 'pending past its expiry with no running execution',
      },
    ]);
  });
});
