import { describe, expect, it } from '@jest/globals';
import { checkCallback, MAX_REARMS, type WakeUp } from '../../../app/approvals/callback-check';
import type { Approval } from '../../../app/approvals/model';

const NOW = new Date('2026-11-22T12:00:00Z');

function record(overrides: Partial<Approval> = {}): Approval {
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

const approvedByAna: WakeUp = { output: { status: 'APPROVED', decider: 'U0ANA', decidedAt: 'x' } };
const rejectedByAna: WakeUp = {
  failure: { Error: 'Greenlight.Rejected', Cause: JSON.stringify({ status: 'REJECTED', decider: 'U0ANA' }) },
};
const check = (current: Approval | undefined, wakeUp: WakeUp, rearms = 0) =>
  checkCallback({ record: current, wakeUp, rearms, now: NOW });

describe('checkCallback: the record is the only authority', () => {
  it('accepts an approval the record carries, with the same decider', () => {
    expect(check(record({ status: 'APPROVED', decider: 'U0ANA' }), approvedByAna)).toEqual({
      verdict: 'accept',
    });
  });

  it('accepts a rejection and a withdrawal the record carries', () => {
    expect(check(record({ status: 'REJECTED', decider: 'U0ANA' }), rejectedByAna).verdict).toBe('accept');
    const cancelled: WakeUp = {
      failure: { Error: 'Greenlight.Cancelled', Cause: { status: 'CANCELLED', decider: 'U0RITA' } },
    };
    expect(check(record({ status: 'CANCELLED', decider: 'U0RITA' }), cancelled).verdict).toBe('accept');
  });

  it('refuses an approval while the record is still pending, and re-arms for the time left only', () => {
    expect(check(record(), approvedByAna)).toEqual({
      verdict: 'rearm',
      rearms: 1,
      waitSeconds: 3600,
      mismatch: {
        claimed: { status: 'APPROVED', decider: 'U0ANA' },
        record: { status: 'PENDING' },
      },
    });
  });

  it('refuses a callback whose decider is not the one on the record', () => {
    const verdict = check(record({ status: 'APPROVED', decider: 'U0OMAR' }), approvedByAna);
    expect(verdict).toEqual(
      expect.objectContaining({
        verdict: 'rearm',
        mismatch: {
          claimed: { status: 'APPROVED', decider: 'U0ANA' },
          record: { status: 'APPROVED', decider: 'U0OMAR' },
        },
      }),
    );
  });

  it('refuses a success that claims a rejection: SendTaskSuccess only ever approves', () => {
    const verdict = check(record({ status: 'REJECTED', decider: 'U0ANA' }), {
      output: { status: 'REJECTED', decider: 'U0ANA' },
    });
    expect(verdict.verdict).toBe('rearm');
  });

  it('refuses any failure while pending: a forged rejection, AlreadyClosed, an early timeout, garbage', () => {
    for (const wakeUp of [
      rejectedByAna,
      { failure: { Error: 'Greenlight.AlreadyClosed', Cause: '{}' } },
      { failure: { Error: 'States.Timeout' } },
      { failure: { Error: 'Anything', Cause: 'not json' } },
      { output: 'not an object' },
    ] satisfies WakeUp[]) {
      expect(check(record(), wakeUp).verdict).toBe('rearm');
    }
  });

  it('expires a pending request whose deadline has passed, whatever woke it', () => {
    const overdue = record({ expiresAt: '2026-11-22T11:59:59Z' });
    expect(check(overdue, { failure: { Error: 'States.Timeout' } })).toEqual({ verdict: 'expire' });
    expect(check(overdue, approvedByAna)).toEqual({ verdict: 'expire' });
  });

  it('accepts what only says the request closed once the record is closed (a timeout lost the race, a task error)', () => {
    const closed = record({ status: 'APPROVED', decider: 'U0ANA' });
    expect(check(closed, { failure: { Error: 'States.Timeout' } }).verdict).toBe('accept');
    expect(check(closed, { failure: { Error: 'Greenlight.AlreadyClosed' } }).verdict).toBe('accept');
  });

  it(`gives up after ${MAX_REARMS} re-arms, with a reason to record`, () => {
    const verdict = check(record(), approvedByAna, MAX_REARMS);
    expect(verdict).toEqual(
      expect.objectContaining({
        verdict: 'give-up',
        reason: `Greenlight withdrew this request after ${MAX_REARMS + 1} callbacks that the record did not back (the last: APPROVED by U0ANA).`,
      }),
    );
  });

  it('clips what a forged callback claims, so the event stays small', () => {
    const verdict = check(record(), { output: { status: 'A'.repeat(5000), decider: 'U0ANA' } });
    expect(verdict.verdict === 'rearm' && verdict.mismatch.claimed.status?.length).toBe(100);
  });
});
