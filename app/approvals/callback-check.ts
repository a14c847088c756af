import { type Approval, CANCELLED_ERROR, isOpen, REJECTED_ERROR } from './model';
import { checkpointDue, nextWaitSeconds } from './schedule';

/**
 * A task token is readable by anyone who can read the execution history, so whatever completes the
 * approval workflow's wait is only a wake-up: the record decides. A callback ends the wait only
 * when the record already carries the decision it claims (status and decider), which only the
 * single conditional write of a real decision can put there. Anything else is refused and the
 * workflow waits again with a fresh token, a bounded number of times.
 */
export const MAX_REARMS = 3;

/** What ended the wait, as the workflow hands it over: the callback's output, or the caught error. */
export interface WakeUp {
  output?: unknown;
  failure?: { Error?: unknown; Cause?: unknown };
}

/** What a refused callback claimed and what the record said; never the token. */
export interface Mismatch {
  claimed: { status?: string; decider?: string; error?: string; stage?: number };
  record: { status: Approval['status'] | 'MISSING'; decider?: string };
}

export type CallbackVerdict =
  /** The record backs the callback (or is closed anyway): announce the record. */
  | { verdict: 'accept' }
  /** A stage that is not the last was approved, and the record has moved on: wait for the next one. */
  | { verdict: 'next-stage'; waitSeconds: number }
  /** The request's deadline has passed while it was still pending: record the expiry. */
  | { verdict: 'expire' }
  /** The wait ended at a reminder or an escalation before the deadline: run it, then wait again. */
  | { verdict: 'nudge' }
  /** Refused: wait again, only for the time left until the request's deadline. */
  | { verdict: 'rearm'; mismatch: Mismatch; rearms: number; waitSeconds: number }
  /** Refused once too often: the request is withdrawn by Greenlight with `reason` recorded. */
  | { verdict: 'give-up'; mismatch: Mismatch; rearms: number; reason: string };

const MAX_CLAIM_LENGTH = 100;
const clip = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.slice(0, MAX_CLAIM_LENGTH) : undefined;

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    try {
      return asObject(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The decision the wake-up claims: success claims an approval, our errors a rejection or a withdrawal. */
function claimOf(wakeUp: WakeUp): Mismatch['claimed'] {
  if (wakeUp.failure === undefined) {
    const output = asObject(wakeUp.output);
    return {
      status: clip(output.status) ?? '(none)',
      decider: clip(output.decider) ?? '(none)',
      ...(typeof output.stage === 'number' ? { stage: output.stage } : {}),
    };
  }
  const error = clip(wakeUp.failure.Error) ?? '(none)';
  if (error !== REJECTED_ERROR && error !== CANCELLED_ERROR) return { error };
  const cause = asObject(wakeUp.failure.Cause);
  return { error, status: clip(cause.status) ?? '(none)', decider: clip(cause.decider) ?? '(none)' };
}

/** The status each kind of callback must carry: SendTaskSuccess only ever approves. */
function expectedStatus(claim: Mismatch['claimed']): string | undefined {
  if (claim.error === undefined) return 'APPROVED';
  if (claim.error === REJECTED_ERROR) return 'REJECTED';
  if (claim.error === CANCELLED_ERROR) return 'CANCELLED';
  return undefined;
}

export function checkCallback(input: {
  record: Approval | undefined;
  wakeUp: WakeUp;
  rearms: number;
  now: Date;
}): CallbackVerdict {
  const { record, now } = input;
  const claim = claimOf(input.wakeUp);
  const claimsDecision = claim.status !== undefined;
  const stageDone = record !== undefined && stageBacked(record, claim);
  // The stage's approval is on the record and the next stage has started: wait for it, with a fresh token.
  if (stageDone && isOpen(record) && now.getTime() < Date.parse(record.expiresAt))
    return { verdict: 'next-stage', waitSeconds: nextWaitSeconds(record, now) };
  // The next stage was decided before this workflow got to wait for it: the record is the truth.
  if (stageDone && !isOpen(record)) return { verdict: 'accept' };

  if (record !== undefined && !isOpen(record)) {
    // A closed record is the truth whatever woke the wait; only a claim it contradicts is refused
    // (re-arming then finds the record closed and ends the workflow from it).
    if (!claimsDecision) return { verdict: 'accept' };
    const backed =
      claim.status === expectedStatus(claim) &&
      claim.status === record.status &&
      claim.decider === record.decider;
    if (backed) return { verdict: 'accept' };
  }

  const deadline = record === undefined ? Number.NaN : Date.parse(record.expiresAt);
  if (record !== undefined && isOpen(record) && now.getTime() >= deadline) return { verdict: 'expire' };
  // The workflow waits in segments, up to the next reminder or escalation: its own timeout ending
  // one early is no callback at all, so nothing is refused or counted.
  // A timeout with nothing due is refused like any other early wake-up (a forged one would be).
  if (
    record !== undefined &&
    isOpen(record) &&
    input.wakeUp.failure?.Error === 'States.Timeout' &&
    checkpointDue(record, now)
  )
    return { verdict: 'nudge' };

  const mismatch: Mismatch = {
    claimed: claim,
    record:
      record === undefined
        ? { status: 'MISSING' }
        : { status: record.status, ...(record.decider ? { decider: record.decider } : {}) },
  };
  if (input.rearms >= MAX_REARMS) {
    return {
      verdict: 'give-up',
      mismatch,
      rearms: input.rearms,
      reason: `Greenlight withdrew this request after ${input.rearms + 1} callbacks that the record did not back (the last: ${describeClaim(claim)}).`,
    };
  }
  const left = Number.isFinite(deadline) ? Math.ceil((deadline - now.getTime()) / 1000) : 1;
  return { verdict: 'rearm', mismatch, rearms: input.rearms + 1, waitSeconds: Math.max(1, left) };
}

/**
 * Whether the record backs a stage's approval: its trail holds the claimed decider's approval in
 * that stage and the start of the next, which only the conditional write of that vote appends.
 */
function stageBacked(record: Approval, claim: Mismatch['claimed']): boolean {
  if (claim.status !== 'STAGE_APPROVED' || claim.error !== undefined || claim.stage === undefined)
    return false;
  const trail = record.trail ?? [];
  return (
    trail.some(
      (entry) => entry.kind === 'approved' && entry.by === claim.decider && entry.stage === claim.stage,
    ) && trail.some((entry) => entry.kind === 'stage-started' && entry.stage === (claim.stage ?? 0) + 1)
  );
}

function describeClaim(claim: Mismatch['claimed']): string {
  if (claim.status !== undefined) return `${claim.status} by ${claim.decider ?? '(none)'}`;
  return claim.error ?? 'unknown';
}
