import type { ApprovalStatus } from './model';
import type { ApprovalOutcome } from './workflow-ports';
import { type AnnounceDeps, announceOutcome } from './workflow-tasks';

/**
 * The product's own close-out, for requests no workflow will announce: a decision whose callback
 * the workflow could not take (stopped by an operator, its task gone), a crash between the deciding
 * write and the callback, a request left pending past its expiry by a dead execution. It runs the
 * workflow's announce code itself, whose one-time steps are claimed on the record, so it can race
 * the workflow, another close-out or the sweep and every effect still happens exactly once.
 */

/** A record in the sparse index of unsettled requests (only what the sweep decides on). */
export interface UnsettledRequest {
  id: string;
  status: ApprovalStatus;
  expiresAt: string;
  decidedAt?: string;
}

export interface SweepStore {
  /** Every request not yet settled, page by page, from the sparse index (never a Scan). */
  unsettled(): AsyncIterable<UnsettledRequest>;
  /** Status PENDING → EXPIRED, as the workflow's RecordExpiry does; false when it was no longer pending. */
  expireIfPending(id: string, at: Date): Promise<boolean>;
}

/** The approval workflow's executions, each named after its request's id. */
export interface ApprovalExecutions {
  /** True while the execution runs; false when it ended (any way) or never started. */
  isRunning(approvalId: string): Promise<boolean>;
}

export interface CloseOutDeps extends AnnounceDeps {
  sweepStore: SweepStore;
  executions: ApprovalExecutions;
  /**
   * How long a decision, or an expiry, is left to the workflow (and to a handed-off close-out)
   * before the sweep takes it over: racing them is harmless, but counting their work as "fixed"
   * would make the sweep's figures lie.
   */
  graceMs: number;
  info: (message: string, fields: Record<string, unknown>) => void;
}

/** Closes one request out now, and says in the log why the product had to. */
export async function closeOut(
  deps: CloseOutDeps,
  input: { approvalId: string; reason: string },
): Promise<ApprovalOutcome> {
  const outcome = await announceOutcome(deps, { approvalId: input.approvalId });
  deps.info('approval_closed_out', {
    approvalId: input.approvalId,
    status: outcome.status,
    reason: input.reason,
  });
  return outcome;
}

export interface SweepReport {
  /** Unsettled requests looked at. */
  examined: number;
  /** Decided in the record but never announced: announced now. */
  announced: number;
  /** Pending past expiry with no execution left to expire them: expired and announced now. */
  expired: number;
  /** Left alone: within the grace period, or pending with a running execution. */
  left: number;
  /** Close-outs that failed this time; the next sweep tries them again. */
  failed: number;
}

/**
 * Finds what no workflow will finish and finishes it: requests decided but not announced, and
 * requests pending past their expiry whose execution no longer runs. One failure does not stop the
 * sweep; it is logged and counted, and the request stays unsettled for the next run.
 */
export async function sweep(deps: CloseOutDeps): Promise<SweepReport> {
  const report: SweepReport = { examined: 0, announced: 0, expired: 0, left: 0, failed: 0 };
  const now = deps.now();
  const settledBefore = now.getTime() - deps.graceMs;
  for await (const request of deps.sweepStore.unsettled()) {
    report.examined += 1;
    try {
      report[await settle(deps, request, now, settledBefore)] += 1;
    } catch (error) {
      report.failed += 1;
      deps.warn('approval_close_out_failed', { approvalId: request.id, error });
    }
  }
  return report;
}

async function settle(
  deps: CloseOutDeps,
  request: UnsettledRequest,
  now: Date,
  settledBefore: number,
): Promise<'announced' | 'expired' | 'left'> {
  if (request.status !== 'PENDING') {
    // A decision without decidedAt is not ours to judge by age; close it out.
    const decidedAt = request.decidedAt === undefined ? 0 : Date.parse(request.decidedAt);
    if (decidedAt > settledBefore) return 'left';
    await closeOut(deps, {
      approvalId: request.id,
      reason: `decided (${request.status}) but never announced`,
    });
    return 'announced';
  }
  if (Date.parse(request.expiresAt) > settledBefore) return 'left';
  if (await deps.executions.isRunning(request.id)) return 'left';
  // Expire it unless a decision won meanwhile; either way the record now says how it ended.
  await deps.sweepStore.expireIfPending(request.id, now);
  await closeOut(deps, {
    approvalId: request.id,
    reason: 'pending past its expiry with no running execution',
  });
  return 'expired';
}
