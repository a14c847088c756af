import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import {
  type ApprovalStore,
  type DecisionPolicy,
  newApproval,
  requestErrorText,
  type StepInputs,
  stepRequest,
} from '../../../approvals';
import { approvalIdFor } from '../../../shared/ids';
import type { Logger } from '../../../shared/log';
import type { CommandRunner } from '../../commands/command-workflow';
import { requestLoggerOf } from '../request-logger';

export type StepArgs = SlackEventMiddlewareArgs<'function_executed'> & AllMiddlewareArgs;

export interface RequestStepDeps {
  runCommand: CommandRunner;
  store: () => Promise<Pick<ApprovalStore, 'get'>>;
  policy: DecisionPolicy;
  now: () => number;
  logger: Logger;
}

/**
 * The "Request approval" step of a Workflow Builder workflow (`function_executed`): its inputs go
 * through the same rules and the same command workflow as `/greenlight request`, and the step then
 * stays pending until the request's outcome, when the approval workflow completes it. The request's
 * id is derived from the function execution id, so a delivery Slack retries finds its request
 * already made instead of making a second. Inputs the rules refuse end the step at once, with the
 * sentences a person would read.
 */
export function requestApprovalStep(deps: RequestStepDeps) {
  return async function startApprovalFromStep(args: StepArgs): Promise<void> {
    const executionId = args.event.function_execution_id;
    const id = approvalIdFor(executionId);
    const store = await deps.store();
    const existing = await store.get(id);
    if (existing !== undefined) {
      if (existing.functionExecutionId === executionId) return;
      // Two executions whose ids hash alike (about one in a billion): this one cannot be told apart.
      await args.fail({
        error: `Greenlight could not give this step a request id (${id} is taken); run it again.`,
      });
      return;
    }
    const receivedAt = deps.now();
    const checked = newApproval(
      { ...stepRequest(args.inputs as StepInputs, id), functionExecutionId: executionId },
      deps.policy,
      new Date(receivedAt),
    );
    if (!checked.ok) {
      await args.fail({ error: checked.errors.map(requestErrorText).join(' ') });
      return;
    }
    const { approval } = checked;
    const outcome = await deps.runCommand(
      { kind: 'request', request: approval },
      {
        user: { id: approval.requester, name: approval.requester },
        teamId: args.body.team_id ?? '',
        channelId: approval.channelId,
        receivedAt,
      },
    );
    // Late: the command workflow goes on and makes the request; the step waits for its outcome.
    if (!outcome.onTime) return;
    const made = await store.get(id);
    if (made?.functionExecutionId === executionId) return;
    requestLoggerOf(args.context, deps.logger).warn('workflow_step_request_failed', { approvalId: id });
    await args.fail({ error: `Greenlight could not make the request: ${outcome.reply.text}` });
  };
}
