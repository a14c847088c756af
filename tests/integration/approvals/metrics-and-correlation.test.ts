import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { METRIC_NAMESPACE } from '../../../app/shared/metric-names';
import { OutputCapture } from '../../helpers/bridge-client';
import { ANA, APPROVALS_CHANNEL as CHANNEL, RITA, useTestStack } from '../../helpers/people';

// Debug: every line the functions can write, Bolt's own included, must carry the id.
const useStack = useTestStack({ environment: { LOG_LEVEL: 'debug' } });

type Entry = Record<string, unknown>;
interface Emf {
  _aws: {
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
}

const isMetricLine = (entry: Entry): entry is Entry & Emf => '_aws' in entry;
const metricNames = (entry: Emf) =>
  entry._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((m) => m.Name));

describe('one /greenlight request and a click, seen in the functions’ output', () => {
  const output = new OutputCapture();
  let approvalId = '';
  let entries: Entry[] = [];

  beforeAll(async () => {
    output.start();
    try {
      const answer = await useStack().slashCommand(`request "Metrics run" <@${ANA}>`, {
        user: RITA,
        channel: CHANNEL,
      });
      approvalId = /`(GL-[0-9A-Z]{6})`/.exec((answer.json() as { text: string }).text)?.[1] ?? '';
      const message = await eventually(
        () =>
          useStack()
            .stack.slack.messages(CHANNEL)
            .find((candidate) => candidate.text.includes(approvalId) && (candidate.blocks ?? []).length > 0),
        { what: 'the approval message' },
      );
      const clicked = await useStack().clickButton({
        channel: CHANNEL,
        messageTs: message.ts,
        actionId: 'approval_approve',
        value: approvalId,
        user: ANA,
      });
      expect(clicked.status).toBe(200);
      await output.entry(
        (entry) => isMetricLine(entry) && metricNames(entry).includes('Decisions'),
        'Decisions',
      );
      await eventually(
        () =>
          useStack()
            .stack.stepFunctions.executions()
            .find((run) => run.name === approvalId && run.status === 'SUCCEEDED'),
        { what: 'the approval workflow to succeed' },
      );
    } finally {
      output.stop();
    }
    entries = output.entries();
  });

  afterAll(() => output.stop());

  it('writes EMF lines for the request count and ack latency, and one decision with its time', () => {
    const metrics = entries.filter(isMetricLine);
    const requests = metrics.filter((entry) => metricNames(entry).includes('SlackRequests'));
    expect(requests).toHaveLength(2);
    for (const line of requests) {
      expect(line._aws.CloudWatchMetrics).toEqual([
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[]],
          Metrics: [
            { Name: 'SlackRequests', Unit: 'Count' },
            { Name: 'SlackAckLatency', Unit: 'Milliseconds' },
          ],
        },
      ]);
      expect(line.SlackAckLatency).toEqual(expect.any(Number));
    }
    const decisions = metrics.filter((entry) => metricNames(entry).includes('Decisions'));
    expect(decisions).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'Greenlight',
              Dimensions: [['Outcome']],
              Metrics: [{ Name: 'Decisions', Unit: 'Count' }],
            },
            {
              Namespace: 'Greenlight',
              Dimensions: [[]],
              Metrics: [{ Name: 'TimeToDecision', Unit: 'Seconds' }],
            },
          ],
        }),
        Decisions: 1,
        Outcome: 'APPROVED',
        TimeToDecision: expect.any(Number),
      }),
    ]);
    // The announce step pushed the outcome to WebSocket clients (none are connected here).
    expect(metrics.filter((entry) => metricNames(entry).includes('BroadcastSize'))).toEqual([
      expect.objectContaining({ BroadcastSize: 0, BroadcastDuration: expect.any(Number) }),
    ]);
  });

  it('carries the Slack request’s id through both workflows into every line the task function wrote', async () => {
    const approvalRun = useStack()
      .stack.stepFunctions.executions()
      .find((run) => run.name === approvalId);
    const correlationId = (JSON.parse(approvalRun?.input ?? '{}') as { correlationId?: unknown })
      .correlationId;
    expect(correlationId).toEqual(expect.any(String));

    const record = await DynamoDBDocumentClient.from(useStack().stack.dynamodb.client).send(
      new GetCommand({ TableName: 'ApprovalsTable', Key: { pk: approvalId } }),
    );
    expect(record.Item?.correlationId).toBe(correlationId);

    const taskLines = entries.filter(
      (entry) => entry.fn === 'workflow-tasks' || (isMetricLine(entry) && 'Decisions' in entry),
    );
    expect(taskLines.length).toBeGreaterThan(1);
    expect(new Set(taskLines.map((entry) => entry.correlationId))).toEqual(new Set([correlationId]));
  });

  it('logs a click under the request’s id, which the button’s block carries, and its own as edgeId', () => {
    const approvalRun = useStack()
      .stack.stepFunctions.executions()
      .find((run) => run.name === approvalId);
    const requestId = (JSON.parse(approvalRun?.input ?? '{}') as { correlationId?: unknown }).correlationId;
    // The click is the second Slack request: its metric line is written as its answer goes out.
    const clickLines = entries.filter((entry) => isMetricLine(entry) && 'SlackRequests' in entry).slice(1);
    expect(clickLines).toEqual([
      expect.objectContaining({ correlationId: requestId, edgeId: expect.any(String) }),
    ]);
    expect(clickLines[0]?.edgeId).not.toBe(requestId);
  });

  it('gives every line the request’s id', () => {
    const functionLines = entries.filter((entry) => typeof entry.fn === 'string' || isMetricLine(entry));
    expect(functionLines.length).toBeGreaterThan(5);
    expect(functionLines.filter((entry) => typeof entry.correlationId !== 'string')).toEqual([]);

    const slackRequestIds = entries
      .filter((entry) => isMetricLine(entry) && 'SlackRequests' in entry)
      .map((entry) => entry.correlationId);
    const approvalRun = useStack()
      .stack.stepFunctions.executions()
      .find((run) => run.name === approvalId);
    const requestId = (JSON.parse(approvalRun?.input ?? '{}') as { correlationId?: unknown }).correlationId;
    // The command's request comes first; the click, the second Slack request, is a step of it.
    expect(slackRequestIds).toEqual([requestId, requestId]);
    expect(new Set(functionLines.map((entry) => entry.correlationId))).toEqual(new Set([requestId]));
  });
});
