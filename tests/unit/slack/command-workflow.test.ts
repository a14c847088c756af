import type { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from '@jest/globals';
import { withCorrelationId } from '../../../app/shared/correlation';
import { createLogger } from '../../../app/shared/log';
import { createMetrics } from '../../../app/shared/metrics';
import { commandWorkflowRunner, WORKING_ON_IT } from '../../../app/slack/commands/command-workflow';
import { testSlackApp } from '../../helpers/slack-app';
import { lambdaContext, parseJsonBody, slashCommand } from '../../helpers/slack-requests';

type Send = (command: { input: { input?: string } }) => Promise<unknown>;

/** A unit-test double for SFNClient.send; the real emulator is exercised in the integration tests. */
function fakeStepFunctions(send: Send) {
  const inputs: unknown[] = [];
  const client = {
    send: (command: { input: { input?: string } }) => {
      inputs.push(JSON.parse(command.input.input ?? 'null'));
      return send(command);
    },
  } as unknown as SFNClient;
  return { client, inputs };
}

function appWith(send: Send, budgetMs = 2500) {
  const sfn = fakeStepFunctions(send);
  const lateLines: string[] = [];
  const runCommand = commandWorkflowRunner({
    client: sfn.client,
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Command',
    budgetMs,
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics({ sink: (line) => lateLines.push(line), enabled: true }),
  });
  return {
    ...testSlackApp({ runCommand }),
    inputs: sfn.inputs,
    lateMetrics: () => lateLines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('commandWorkflowRunner', () => {
  it("renders the workflow's reply and hands it the parsed command, user, deadline and reply address", async () => {
    const { receiver, inputs } = appWith(async () => ({
      status: 'SUCCEEDED',
      output: JSON.stringify({ reply: { kind: 'cancelled', id: 'GL-7K3F9Q', title: 'Ship <it>' } }),
    }));
    const event = slashCommand('cancel GL-7K3F9Q');
    event.requestContext.requestTimeEpoch = 1_795_348_800_000;
    const result = await withCorrelationId('slack-request-1', () => receiver.handle(event, lambdaContext()));
    expect(parseJsonBody(result)).toEqual({
      response_type: 'ephemeral',
      text: ':heavy_multiplication_x: Cancelled `GL-7K3F9Q` *Ship &lt;it&gt;*. The approvers will see it closed.',
    });
    expect(inputs).toEqual([
      expect.objectContaining({
        command: { kind: 'cancel', approvalId: 'GL-7K3F9Q' },
        user: { id: 'U0REQUESTR', name: 'rita' },
        channelId: 'C0APPROVAL',
        replyTo: expect.objectContaining({
          channelId: 'C0APPROVAL',
          userId: 'U0REQUESTR',
          responseUrl: expect.any(String),
        }),
        receivedAt: '2026-11-22T12:00:00.000Z',
        deadline: '2026-11-22T12:00:02.500Z',
        lateAfter: '2026-11-22T12:00:02.200Z',
        correlationId: 'slack-request-1',
      }),
    ]);
  });

  it('says plainly when the request does not exist', async () => {
    const { receiver } = appWith(async () => ({
      status: 'SUCCEEDED',
      output: JSON.stringify({ reply: { kind: 'not-found', id: 'GL-7K3F9Q' } }),
    }));
    const result = await receiver.handle(slashCommand('status GL-7K3F9Q'), lambdaContext());
    expect(parseJsonBody(result)).toEqual({
      response_type: 'ephemeral',
      text: ':warning: There is no request `GL-7K3F9Q`.',
    });
  });

  it('treats a successful run without a reply as a failure to start, not a blank answer', async () => {
    const { receiver } = appWith(async () => ({ status: 'SUCCEEDED', output: '{}' }));
    const result = await receiver.handle(slashCommand('list'), lambdaContext());
    expect(parseJsonBody(result).text).toBe(
      ':warning: Greenlight could not start `list` right now. Please try again in a moment.',
    );
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
    const { receiver } = appWith(() => new Promise(() => {}), 50);
    const event = slashCommand('list');
    event.requestContext.requestTimeEpoch = Date.now();
    const result = await receiver.handle(event, lambdaContext());
    expect(parseJsonBody(result)).toEqual({ response_type: 'ephemeral', text: WORKING_ON_IT });
  });

  it('still starts the workflow when the budget was spent before the command reached it', async () => {
    let settle: (value: unknown) => void = () => {};
    const { receiver, inputs } = appWith(() => new Promise((resolve) => (settle = resolve)), 50);
    const event = slashCommand('list');
    event.requestContext.requestTimeEpoch = Date.now() - 5_000;
    const result = await receiver.handle(event, lambdaContext());
    settle({
      status: 'SUCCEEDED',
      output: JSON.stringify({ reply: { kind: 'list', mine: [], waiting: [] } }),
    });
    expect(parseJsonBody(result)).toEqual({ response_type: 'ephemeral', text: WORKING_ON_IT });
    expect(inputs).toHaveLength(1);
  });

  it('counts a command answered "working on it" as one late reply', async () => {
    const { receiver, lateMetrics, metricLines } = appWith(() => new Promise(() => {}), 50);
    const event = slashCommand('list');
    event.requestContext.requestTimeEpoch = Date.now();
    await receiver.handle(event, lambdaContext());
    expect(lateMetrics()).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'Greenlight',
              Dimensions: [[]],
              Metrics: [{ Name: 'CommandLateReplies', Unit: 'Count' }],
            },
          ],
        }),
        CommandLateReplies: 1,
      }),
    ]);
    // The answer itself still went out within the budget it was given, and was measured.
    expect(metricLines()).toEqual([
      expect.objectContaining({ SlackRequests: 1, SlackAckLatency: expect.any(Number) }),
    ]);
  });

  it('counts no late reply for a command answered in time', async () => {
    const { receiver, lateMetrics } = appWith(async () => ({
      status: 'SUCCEEDED',
      output: JSON.stringify({ reply: { kind: 'not-found', id: 'GL-7K3F9Q' } }),
    }));
    await receiver.handle(slashCommand('status GL-7K3F9Q'), lambdaContext());
    expect(lateMetrics()).toEqual([]);
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
