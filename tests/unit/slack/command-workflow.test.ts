import type { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../app/shared/log';
import { commandWorkflowRunner, WORKING_ON_IT } from '../../../app/slack/commands/command-workflow';
import { testSlackApp } from '../../helpers/slack-app';
import { lambdaContext, parseJsonBody, slashCommand } from '../../helpers/slack-requests';

type Send = (
  command: { input: { input?: string } },
  options: { abortSignal: AbortSignal },
) => Promise<unknown>;

/** A unit-test double for SFNClient.send; the real emulator is exercised in the integration tests. */
function fakeStepFunctions(send: Send) {
  const inputs: unknown[] = [];
  const client = {
    send: (command: { input: { input?: string } }, options: { abortSignal: AbortSignal }) => {
      inputs.push(JSON.parse(command.input.input ?? 'null'));
      return send(command, options);
    },
  } as unknown as SFNClient;
  return { client, inputs };
}

function appWith(send: Send, budgetMs = 2500) {
  const sfn = fakeStepFunctions(send);
  const runCommand = commandWorkflowRunner({
    client: sfn.client,
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Command',
    budgetMs,
    logger: createLogger({ level: 'silent' }),
  });
  return { ...testSlackApp({ runCommand }), inputs: sfn.inputs };
}

describe('commandWorkflowRunner', () => {
  it("answers with the workflow's response and hands it the parsed command, user and deadline", async () => {
    const { receiver, inputs } = appWith(async () => ({
      status: 'SUCCEEDED',
      output: JSON.stringify({ response: { response_type: 'ephemeral', text: 'GL-7K3F9Q is pending' } }),
    }));
    const event = slashCommand('status GL-7K3F9Q');
    event.requestContext.requestTimeEpoch = 1_795_348_800_000;
    const result = await receiver.handle(event, lambdaContext());
    expect(parseJsonBody(result)).toEqual({ response_type: 'ephemeral', text: 'GL-7K3F9Q is pending' });
    expect(inputs).toEqual([
      expect.objectContaining({
        command: { kind: 'status', approvalId: 'GL-7K3F9Q' },
        user: { id: 'U0REQUESTR', name: 'rita' },
        channelId: 'C0APPROVAL',
        receivedAt: '2026-11-22T12:00:00.000Z',
        deadline: '2026-11-22T12:00:02.500Z',
      }),
    ]);
  });

  it('shows the cause of a Greenlight.* failure to the person', async () => {
    const { receiver } = appWith(async () => ({
      status: 'FAILED',
      error: 'Greenlight.NotFound',
      cause: 'There is no request GL-7K3F9Q.',
    }));
    const result = await receiver.handle(slashCommand('status GL-7K3F9Q'), lambdaContext());
    expect(parseJsonBody(result)).toEqual({
      response_type: 'ephemeral',
      text: ':warning: There is no request GL-7K3F9Q.',
    });
  });

  it('hides the cause of an unexpected failure and names the error instead', async () => {
    const { receiver } = appWith(async () => ({
      status: 'FAILED',
      error: 'States.TaskFailed',
      cause: 'arn:aws:… stack',
    }));
    const result = await receiver.handle(slashCommand('list'), lambdaContext());
    expect(parseJsonBody(result).text).toBe(
      ':warning: Greenlight could not run `list` (States.TaskFailed). Please try again in a moment.',
    );
  });

  it('answers "working on it" when the workflow outlives the budget', async () => {
    const { receiver } = appWith(
      (_command, { abortSignal }) =>
        new Promise((_resolve, reject) => {
          abortSignal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
      50,
    );
    const event = slashCommand('list');
    event.requestContext.requestTimeEpoch = Date.now();
    const result = await receiver.handle(event, lambdaContext());
    expect(parseJsonBody(result)).toEqual({ response_type: 'ephemeral', text: WORKING_ON_IT });
  });

  it('tells the person when Step Functions cannot be reached', async () => {
    const { receiver } = appWith(async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
    const result = await receiver.handle(slashCommand('list'), lambdaContext());
    expect(result.statusCode).toBe(200);
    expect(parseJsonBody(result).text).toBe(
      ':warning: Greenlight could not start `list` right now. Please try again in a moment.',
    );
  });
});
