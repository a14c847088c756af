import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from '@jest/globals';
import { executionView, stateSteps } from '../../../src/sandbox/execution-view';
import { redactJson } from '../../../src/sandbox/redact';
import type { ExecutionSummary } from '../../../src/stepfunctions';

let clock = Date.parse('2026-11-22T12:00:00Z');
function event(type: string, details: Record<string, unknown> = {}): HistoryEvent {
  clock += 1000;
  return { type, timestamp: new Date(clock), ...details } as HistoryEvent;
}
const entered = (type: string, name: string, input: unknown = {}) =>
  event(`${type}StateEntered`, { stateEnteredEventDetails: { name, input: JSON.stringify(input) } });
const exited = (type: string, name: string, output: unknown = {}) =>
  event(`${type}StateExited`, { stateExitedEventDetails: { name, output: JSON.stringify(output) } });

describe('an execution as the Workflows pane shows it', () => {
  it('folds the history into states, with what each received and returned', () => {
    const steps = stateSteps([
      event('ExecutionStarted'),
      entered('Task', 'Announce', { requestId: 'DEMO-1' }),
      event('TaskScheduled', { taskScheduledEventDetails: { resource: 'invoke.waitForTaskToken' } }),
      event('TaskSubmitted', { taskSubmittedEventDetails: { resource: 'invoke.waitForTaskToken' } }),
      event('TaskSucceeded'),
      exited('Task', 'Announce', { decision: 'approved' }),
      entered('Choice', 'Decide'),
      exited('Choice', 'Decide'),
      entered('Succeed', 'Approved'),
      exited('Succeed', 'Approved'),
      event('ExecutionSucceeded'),
    ]);

    expect(steps.map((step) => [step.name, step.type, step.status])).toEqual([
      ['Announce', 'Task', 'succeeded'],
      ['Decide', 'Choice', 'succeeded'],
      ['Approved', 'Succeed', 'succeeded'],
    ]);
    expect(steps[0]?.input).toBe('{\n  "requestId": "DEMO-1"\n}');
    expect(steps[0]?.output).toBe('{\n  "decision": "approved"\n}');
  });

  it('shows a task that waits for its token as waiting, and says so', () => {
    const [step] = stateSteps([
      entered('Task', 'Announce'),
      event('TaskScheduled', { taskScheduledEventDetails: { resource: 'invoke.waitForTaskToken' } }),
      event('TaskSubmitted', { taskSubmittedEventDetails: { resource: 'invoke.waitForTaskToken' } }),
    ]);

    expect(step).toMatchObject({ status: 'waiting', note: 'waiting for a task token', exitedAt: undefined });
  });

  it('fails the open state with the execution, with its error and cause', () => {
    const steps = stateSteps([
      entered('Fail', 'Rejected'),
      event('ExecutionFailed', {
        executionFailedEventDetails: { error: 'Demo.Rejected', cause: 'no budget' },
      }),
    ]);

    expect(steps).toEqual([
      expect.objectContaining({ status: 'failed', error: 'Demo.Rejected', cause: 'no budget' }),
    ]);
  });

  it('shows a failed task a Catch handled as caught, with its error and cause, not as failed', () => {
    const [step] = stateSteps([
      entered('Task', 'RequestDecision'),
      event('TaskScheduled', { taskScheduledEventDetails: { resource: 'invoke.waitForTaskToken' } }),
      event('TaskFailed', {
        taskFailedEventDetails: { error: 'Greenlight.Rejected', cause: '{"status":"REJECTED"}' },
      }),
      exited('Task', 'RequestDecision'),
    ]);

    expect(step).toMatchObject({
      status: 'caught',
      error: 'Greenlight.Rejected',
      cause: '{"status":"REJECTED"}',
    });
  });

  it('names the outcome of a finished execution with the product’s hook, and only of a finished one', () => {
    const summary = {
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Approval:GL-1',
      name: 'GL-1',
      stateMachineName: 'Approval',
      type: 'STANDARD',
      startDate: new Date(clock),
      input: '{}',
      output: '{"status":"REJECTED","decider":"U1"}',
    };
    const nameOutcome = ({ output }: { output: unknown }) =>
      (output as { status?: string }).status === 'REJECTED'
        ? { label: 'Rejected', tone: 'negative' as const, by: 'U1' }
        : undefined;

    const finished = executionView({ ...summary, status: 'SUCCEEDED' } as ExecutionSummary, [], nameOutcome);
    const running = executionView({ ...summary, status: 'RUNNING' } as ExecutionSummary, [], nameOutcome);
    const withoutHook = executionView({ ...summary, status: 'SUCCEEDED' } as ExecutionSummary, []);

    expect(finished.outcome).toEqual({ label: 'Rejected', tone: 'negative', by: 'U1' });
    expect(running.outcome).toBeUndefined();
    expect(withoutHook.outcome).toBeUndefined();
  });

  it('shows a retried task running again, then succeeded', () => {
    const history = [
      entered('Task', 'Call'),
      event('TaskScheduled', { taskScheduledEventDetails: { resource: 'invoke' } }),
      event('TaskFailed', { taskFailedEventDetails: { error: 'Lambda.ServiceException', cause: 'boom' } }),
      event('TaskScheduled', { taskScheduledEventDetails: { resource: 'invoke' } }),
    ];

    const whileRetrying = stateSteps(history)[0];
    const afterwards = stateSteps([...history, event('TaskSucceeded'), exited('Task', 'Call')])[0];

    expect(whileRetrying).toMatchObject({
      status: 'running',
      note: 'retrying after Lambda.ServiceException',
    });
    expect(afterwards).toMatchObject({ status: 'succeeded', error: undefined });
  });

  it('never shows task tokens or secrets in inputs and outputs', () => {
    expect(
      JSON.parse(redactJson('{"taskToken":"AAAA","nested":[{"signingSecret":"s","ok":1}]}') ?? ''),
    ).toEqual({
      taskToken: '[redacted]',
      nested: [{ signingSecret: '[redacted]', ok: 1 }],
    });
    expect(redactJson('not json')).toBe('not json');
  });
});
