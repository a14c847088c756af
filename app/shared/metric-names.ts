/**
 * The CloudWatch metrics the app publishes, as embedded-metric-format log lines, in one namespace.
 * The one list both sides read: the functions emit these names and dimensions, and template.yaml's
 * dashboard plots them (tests/unit/template/operations.test.ts holds the template to this list).
 * A metric is identified by its name and its exact dimension set: change either here, and the
 * dashboard widget that plots it must change with it.
 */
export const METRIC_NAMESPACE = 'Greenlight';

/** How an approval closed: the `Outcome` dimension of `Decisions`. */
export const DECISION_OUTCOMES = ['APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** CloudWatch's units that these metrics use. */
export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds';

export interface MetricDefinition {
  readonly name: string;
  readonly unit: MetricUnit;
  /** Dimension names, in the order EMF lists them; empty: the metric has one series. */
  readonly dimensions: readonly string[];
  readonly description: string;
}

export const METRICS = {
  slackRequests: {
    name: 'SlackRequests',
    unit: 'Count',
    dimensions: [],
    description: 'Signed requests Slack sent to /slack/events (commands, interactivity, events)',
  },
  decisions: {
    name: 'Decisions',
    unit: 'Count',
    dimensions: ['Outcome'],
    description: 'Approvals closed, one per request, by outcome (DECISION_OUTCOMES)',
  },
  timeToDecision: {
    name: 'TimeToDecision',
    unit: 'Seconds',
    dimensions: [],
    description: 'From the request to its decision (approved or rejected)',
  },
  slackAckLatency: {
    name: 'SlackAckLatency',
    unit: 'Milliseconds',
    dimensions: [],
    description: 'From receiving a Slack request to answering it; Slack gives up at 3,000 ms',
  },
  commandLateReplies: {
    name: 'CommandLateReplies',
    unit: 'Count',
    dimensions: [],
    description: 'Slash commands answered "working on it" and delivered later through response_url',
  },
  broadcastSize: {
    name: 'BroadcastSize',
    unit: 'Count',
    dimensions: [],
    description: 'WebSocket connections one broadcast was sent to',
  },
  broadcastDuration: {
    name: 'BroadcastDuration',
    unit: 'Milliseconds',
    dimensions: [],
    description: 'From the first page of connections read to the last send settled',
  },
  callbacksRefused: {
    name: 'CallbacksRefused',
    unit: 'Count',
    dimensions: [],
    description:
      'Task callbacks the approval record did not back (a forged or stale token): a security event',
  },
  sweepAnnounced: {
    name: 'SweepAnnounced',
    unit: 'Count',
    dimensions: [],
    description: 'Requests the close-out sweep found decided but never announced, and announced',
  },
  sweepExpired: {
    name: 'SweepExpired',
    unit: 'Count',
    dimensions: [],
    description:
      'Requests the close-out sweep found pending past expiry with no running execution, and expired',
  },
  sweepFailed: {
    name: 'SweepFailed',
    unit: 'Count',
    dimensions: [],
    description: 'Close-outs that failed during a sweep (the next sweep tries them again)',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;
