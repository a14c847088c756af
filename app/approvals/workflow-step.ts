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

export type StepRequest = { ok: true; input: RequestInput } | { ok: false; error: string };

/**
 * The request the step asks for. `need` is how many approvals it takes: today one approver's
 * decision settles a request, so any other number is refused with a sentence saying so, rather
 * than quietly treated as one.
 */
export function stepRequest(inputs: StepInputs, id: string): StepRequest {
  const need = inputs.need ?? 1;
  if (need !== 1)
    return {
      ok: false,
      error: `Greenlight settles a request on the first approver's decision; "need" must be 1 (it was ${JSON.stringify(need)}).`,
    };
  const hours = inputs.timeout ?? STEP_DEFAULT_TIMEOUT_HOURS;
  const timeoutSeconds = typeof hours === 'number' ? Math.round(hours * 3600) : hours;
  return {
    ok: true,
    input: {
      id,
      title: inputs.title,
      details: inputs.details === '' ? undefined : inputs.details,
      requester: inputs.requester,
      approvers: inputs.approvers,
      channelId: inputs.channel,
      timeoutSeconds,
      email: false,
    },
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
          deciders: approval.decider ? [approval.decider] : [],
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

/** Completes the Workflow Builder step a request was made by (functions.completeSuccess/completeError). */
export interface StepCompletions {
  complete(functionExecutionId: string, result: StepResult): Promise<'completed' | 'gone'>;
}
