import { newTaskToken } from '@greenlight/local-stack/stepfunctions/task-token';
import { localStepFunctionsClient } from '@greenlight/local-stack/testing/aws-clients';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { StepFunctionsTaskCallbacks } from '../../../app/approvals/adapters/sfn-task-callbacks';
import { useTestStack } from '../../helpers/people';

const useStack = useTestStack();

const decision = {
  status: 'APPROVED' as const,
  decider: 'U0APPROVER',
  decidedAt: '2026-11-22T12:00:00.000Z',
};

describe('SendTaskSuccess/Failure against the local Step Functions endpoint', () => {
  it.each([
    ['InvalidToken', 'not-a-token'],
    ['TaskDoesNotExist', newTaskToken()],
  ])('reads %s as a closed task, not a failure, and names it', async (error, token) => {
    const callbacks = new StepFunctionsTaskCallbacks(
      localStepFunctionsClient(useStack().endpoints.stepfunctions),
    );
    await expect(callbacks.succeed(token, decision)).resolves.toBe(error);
    await expect(callbacks.fail(token, 'Greenlight.Rejected', decision)).resolves.toBe(error);
  });

  it('reads TaskTimedOut (a token whose task already ended) as a closed task', async () => {
    const answer = await useStack().slashCommand('request "Token test" <@U0APPROVER>');
    const id = /GL-[0-9A-Z]{6}/.exec(answer.text)?.[0] ?? '';
    await eventually(() =>
      useStack()
        .stack.slack.messages('C0APPROVAL')
        .find((message) => message.text.includes(id)),
    );
    // The token as the workflow handed it to its first task.
    const history = useStack().stack.stepFunctions.history(
      useStack()
        .stack.stepFunctions.executions()
        .find((execution) => execution.name === id)?.executionArn ?? '',
    );
    // The first task that is handed a token (CheckRequest, before it, is not).
    const token = history
      .filter((event) => event.type === 'TaskScheduled')
      .map(
        (event) =>
          JSON.parse(
            (event as { taskScheduledEventDetails?: { parameters?: string } }).taskScheduledEventDetails
              ?.parameters ?? '{}',
          ) as { Payload?: { taskToken?: string } },
      )
      .find((parameters) => parameters.Payload?.taskToken !== undefined)?.Payload?.taskToken;
    expect(token).toEqual(expect.any(String));
    const callbacks = new StepFunctionsTaskCallbacks(
      localStepFunctionsClient(useStack().endpoints.stepfunctions),
    );
    await expect(callbacks.succeed(token ?? '', decision)).resolves.toBe('delivered');
    await expect(callbacks.succeed(token ?? '', decision)).resolves.toBe('TaskTimedOut');
  });
});
