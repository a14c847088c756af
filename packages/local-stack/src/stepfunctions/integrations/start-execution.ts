import { SfnApiError } from '../sfn-error';
import { TaskFailure } from '../task-failure';
import type { IntegrationPattern } from '../task-resource';
import { asRecord, type ChildExecutionOutcome, type IntegrationCall } from './integration';

/**
 * `arn:aws:states:::states:startExecution` on this same endpoint. Request-response and callback
 * return `{ ExecutionArn, StartDate }`; `.sync` waits and returns the child's description with
 * Output as text, `.sync:2` with Input and Output as JSON. A child that does not succeed fails
 * the task with States.TaskFailed and the child's description as Cause.
 */
export async function startExecution(call: IntegrationCall, pattern: IntegrationPattern): Promise<unknown> {
  const parameters = asRecord(call.parameters);
  const stateMachineArn = parameters.StateMachineArn;
  if (typeof stateMachineArn !== 'string') {
    throw new TaskFailure(
      'States.Runtime',
      "states:startExecution needs a 'StateMachineArn' string in its Parameters",
    );
  }
  const input =
    parameters.Input === undefined
      ? '{}'
      : typeof parameters.Input === 'string'
        ? parameters.Input
        : JSON.stringify(parameters.Input);
  const request: { stateMachineArn: string; input: string; name?: string } = { stateMachineArn, input };
  if (typeof parameters.Name === 'string') request.name = parameters.Name;

  let child: ReturnType<IntegrationCall['services']['startExecution']>;
  try {
    child = call.services.startExecution(request);
  } catch (thrown) {
    if (thrown instanceof SfnApiError)
      throw new TaskFailure(`StepFunctions.${thrown.code}Exception`, thrown.message);
    throw thrown;
  }
  const started = { ExecutionArn: child.executionArn, StartDate: child.startDate.getTime() };
  if (pattern !== 'sync' && pattern !== 'sync:2') return started;

  call.submitted(started);
  // A parent that gives up on a `.sync` task stops the child, as Step Functions does.
  const stopChild = () => child.stop('States.Aborted', 'The parent task of this execution was closed');
  call.signal.addEventListener('abort', stopChild, { once: true });
  try {
    const outcome = await child.done;
    const description = describeChild(outcome, pattern);
    if (outcome.status !== 'SUCCEEDED')
      throw new TaskFailure('States.TaskFailed', JSON.stringify(description));
    return description;
  } finally {
    call.signal.removeEventListener('abort', stopChild);
  }
}

function describeChild(outcome: ChildExecutionOutcome, pattern: 'sync' | 'sync:2'): Record<string, unknown> {
  const asJson = (text: string | undefined) => (text === undefined ? null : (JSON.parse(text) as unknown));
  const description: Record<string, unknown> = {
    ExecutionArn: outcome.executionArn,
    Input: pattern === 'sync:2' ? asJson(outcome.input) : outcome.input,
    InputDetails: { Included: true },
    Name: outcome.name,
    StartDate: outcome.startDate.getTime(),
    StateMachineArn: outcome.stateMachineArn,
    Status: outcome.status,
  };
  if (outcome.stopDate) description.StopDate = outcome.stopDate.getTime();
  if (outcome.output !== undefined) {
    description.Output = pattern === 'sync:2' ? asJson(outcome.output) : outcome.output;
    description.OutputDetails = { Included: true };
  }
  if (outcome.error !== undefined) description.Error = outcome.error;
  if (outcome.cause !== undefined) description.Cause = outcome.cause;
  return description;
}
