import type { Approval } from './model';
import type { RequestInput } from './new-request';

/**
 * Greenlight as a step of a Slack Workflow Builder workflow (a custom function, `request_approval`
 * in manifest.json): its inputs become a request like any other, and its outcome the step's
 * outputs, or a readable error where there is nothing to output.
 */

/** The step's inputs as Slack sends them (`function_executed`'s `inputs`); anything may be missing. */
export interface StepInputs {
  title?: unknown;
  details?: unknown;
  requester?: unknown;
  approvers?: unknown;
  need?: unknown;
  timeout?: unknown;
  channel?: unknown;
}

/** Expires after a day unless the workflow says otherwise; Workflow Builder's input is in hours. */
export const STEP_DEFAULT_TIMEOUT_HOURS = 24;

/**
 * The request the step asks for. `need` is how many approvals it takes (1 when absent), checked by
 * the same rules as a command's `--need`: a whole number no larger than the approvers who may decide.
 */
export function stepRequest(inputs: StepInputs, id: string): RequestInput {
  const hours = inputs.timeout ?? STEP_DEFAULT_TIMEOUT_HOURS;
  const timeoutSeconds = typeof hours === 'number' ? Math.round(hours * 3600) : hours;
  return {
    id,
    title: inputs.title,
    details: inputs.details === '' ? undefined : inputs.details,
    requester: inputs.requester,
    approvers: inputs.approvers,
    channelId: inputs.channel,
    timeoutSeconds,
    email: false,
    need: inputs.need ?? 1,
  };
}

/** What the step outputs (manifest.json's output_parameters). */
export interface StepOutputs {
  status: 'APPROVED' | 'REJECTED';
  deciders: string[];
  comment: string;
  approval_id: string;
}

export type StepResult = { ok: true; outputs: StepOutputs } | { ok: false; error: string };

/**
 * A decision is the step's success, approved or rejected (the workflow branches on `status`); a
 * request that expired or was withdrawn ends the step with an error a workflow manager can read.
 */
export function stepResult(approval: Approval): StepResult | undefined {
  switch (approval.status) {
    case 'PENDING':
      return undefined;
    case 'APPROVED':
    case 'REJECTED':
      return {
        ok: true,
        outputs: {
          status: approval.status,
          deciders: decidersOf(approval),
          comment: approval.comment ?? '',
          approval_id: approval.id,
        },
      };
    case 'EXPIRED':
      return { ok: false, error: `Request ${approval.id} "${approval.title}" expired with no decision.` };
    case 'CANCELLED':
      return {
        ok: false,
        error: `Request ${approval.id} "${approval.title}" was cancelled${approval.comment ? `: ${approval.comment}` : '.'}`,
      };
  }
}

/**
 * Who decided it: every approver whose approval counted towards the quorum, or the one who rejected
 * (the record's votes, in the order they were cast); the decider alone on a record without votes.
 */
function decidersOf(approval: Approval): string[] {
  const decision = approval.status === 'APPROVED' ? 'approve' : 'reject';
  const voters = (approval.votes ?? [])
    .filter((vote) => vote.decision === decision)
    .map((vote) => vote.voter);
  if (voters.length > 0) return voters;
  return approval.decider ? [approval.decider] : [];
}

/** Completes the Workflow Builder step a request was made by (functions.completeSuccess/completeError). */
export interface StepCompletions {
  complete(functionExecutionId: string, result: StepResult): Promise<'completed' | 'gone'>;
}
