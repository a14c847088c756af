// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation !Sub strings, not JavaScript templates.
import { readFileSync } from 'node:fs';
import { loadTemplate, type Resource, resourcesOfType } from '@greenlight/local-stack/template';
import { describe, expect, it } from '@jest/globals';
import { DECISION_OUTCOMES, METRIC_NAMESPACE, METRICS } from '../../../app/shared/metric-names';

const template = loadTemplate('template.yaml');
const resources = template.Resources;
const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
const functionIds = resourcesOfType(template, 'AWS::Serverless::Function').map(([id]) => id);
const queues = resourcesOfType(template, 'AWS::SQS::Queue');
const OPERATIONS_DOC = readFileSync('docs/operations.md', 'utf8');

const ref = (id: string) => ({ Ref: id });
const json = (value: unknown) => JSON.stringify(value);

/** The alarms on `metric` in `namespace` whose dimension `name` is `value`. */
function alarmsOn(
  namespace: string,
  metric: string,
  name: string,
  value: unknown,
): Array<[string, Resource]> {
  return alarms.filter(([, alarm]) => {
    const p = alarm.Properties ?? {};
    const dimensions = (p.Dimensions ?? []) as Array<{ Name: string; Value: unknown }>;
    return (
      p.Namespace === namespace &&
      p.MetricName === metric &&
      dimensions.some((dimension) => dimension.Name === name && json(dimension.Value) === json(value))
    );
  });
}

describe('the alarms', () => {
  it.each(functionIds.flatMap((id) => [[id, 'Errors'] as const, [id, 'Throttles'] as const]))(
    'watch %s for %s',
    (id, metric) => {
      expect(alarmsOn('AWS/Lambda', metric, 'FunctionName', ref(id))).toHaveLength(1);
    },
  );

  it.each([
    ['ApprovalStateMachine', 'ExecutionsFailed'],
    ['ApprovalStateMachine', 'ExecutionsTimedOut'],
    ['CommandStateMachine', 'ExecutionsFailed'],
    ['CommandStateMachine', 'ExecutionsTimedOut'],
  ])('watch %s for %s', (id, metric) => {
    expect(alarmsOn('AWS/States', metric, 'StateMachineArn', ref(id))).toHaveLength(1);
  });

  it.each(queues.map(([id]) => id))('fire as soon as the queue %s holds a message', (id) => {
    const [found] = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', {
      'Fn::GetAtt': [id, 'QueueName'],
    });
    expect(found?.[1].Properties).toMatchObject({
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('each fire on one occurrence in five minutes, and treat no data as fine', () => {
    const off = alarms
      .filter(([, alarm]) => {
        const p = alarm.Properties ?? {};
        return !(
          p.Threshold === 1 &&
          p.EvaluationPeriods === 1 &&
          p.Period === 300 &&
          p.TreatMissingData === 'notBreaching'
        );
      })
      .map(([id]) => id);
    expect(off).toEqual([]);
  });

  it('each notify AlarmNotifications (a topic ARN as it is, an e-mail address through AlarmTopic), or nobody', () => {
    const expected = {
      'Fn::If': [
        'NotifiesAlarms',
        [{ 'Fn::If': ['AlarmsToTopicArn', ref('AlarmNotifications'), ref('AlarmTopic')] }],
        ref('AWS::NoValue'),
      ],
    };
    const wrong = alarms
      .filter(
        ([, alarm]) =>
          json(alarm.Properties?.AlarmActions) !== json(expected) ||
          json(alarm.Properties?.OKActions) !== json(expected),
      )
      .map(([id]) => id);
    expect(wrong).toEqual([]);
    expect(resources.AlarmTopic?.Properties?.Subscription).toEqual([
      { Protocol: 'email', Endpoint: ref('AlarmNotifications') },
    ]);
    expect((resources.AlarmTopic as { Condition?: string }).Condition).toBe('AlarmsToEmail');
  });

  it('are each explained in docs/operations.md', () => {
    expect(alarms.map(([id]) => id).filter((id) => !OPERATIONS_DOC.includes(`\`${id}\``))).toEqual([]);
  });
});

describe('work that can be dropped', () => {
  it('lands in an encrypted dead-letter queue', () => {
    expect(queues.length).toBeGreaterThan(0);
    const unencrypted = queues
      .filter(
        ([, queue]) =>
          queue.Properties?.SqsManagedSseEnabled !== true && queue.Properties?.KmsMasterKeyId === undefined,
      )
      .map(([id]) => id);
    expect(unencrypted).toEqual([]);
  });

  it('from asynchronous invocations of the workflow tasks, after a bounded number of retries', () => {
    const [config] = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').filter(
      ([, candidate]) => json(candidate.Properties?.FunctionName) === json(ref('WorkflowTasksFunction')),
    );
    expect(config?.[1].Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } } },
    });
  });

  it('from EventBridge rules on the app’s bus, which may dead-letter into the queue', () => {
    const policy = resourcesOfType(template, 'AWS::SQS::QueuePolicy')[0]?.[1].Properties ?? {};
    expect(policy.Queues).toEqual([ref('DeadLetterQueue')]);
    expect((policy.PolicyDocument as { Statement: unknown[] }).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] },
        Condition: {
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${EventBus}/*',
            },
          },
        },
      },
    ]);
  });

  it.each(['approval', 'command'])('never retries forever in the %s workflow', (name) => {
    const retriers: Array<{ MaxAttempts?: number }> = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'Retry' && Array.isArray(value))
            retriers.push(...(value as Array<{ MaxAttempts?: number }>));
          collect(value);
        }
      }
    };
    collect(JSON.parse(readFileSync(`workflows/${name}.asl.json`, 'utf8')));
    expect(retriers.length).toBeGreaterThan(0);
    // Step Functions' default MaxAttempts is 3; 0 means never retry. Anything else must be small.
    expect(retriers.filter((retrier) => (retrier.MaxAttempts ?? 3) > 10)).toEqual([]);
  });
});

describe('the dashboard', () => {
  const [, dashboard] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard')[0] ?? [];
  const body = JSON.parse(
    String(
      (dashboard?.Properties?.DashboardBody as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub'],
    ).replaceAll('${AWS::Region}', 'us-east-1'),
  ) as { widgets: Array<{ properties: { title: string; metrics: unknown[][] } }> };

  /** Every line plotted: namespace, metric, dimensions as name=value, and its options. */
  const lines = body.widgets.flatMap((widget) =>
    widget.properties.metrics.map((line) => {
      const last = line.at(-1);
      const options = (typeof last === 'object' && last !== null ? last : {}) as {
        stat?: string;
        period?: number;
      };
      const parts = (typeof last === 'object' ? line.slice(0, -1) : line) as string[];
      const [namespace = '', metric = '', ...pairs] = parts;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i] ?? ''] = pairs[i + 1] ?? '';
      return { title: widget.properties.title, namespace, metric, dimensions, ...options };
    }),
  );
  const definitions = Object.values(METRICS);

  it('plots only metrics of app/shared/metric-names.ts, with exactly their dimensions', () => {
    const unknown = lines.filter((line) => {
      const definition = definitions.find((candidate) => candidate.name === line.metric);
      return (
        line.namespace !== METRIC_NAMESPACE ||
        definition === undefined ||
        json(Object.keys(line.dimensions)) !== json(definition.dimensions)
      );
    });
    expect(unknown).toEqual([]);
  });

  it('plots every metric the app defines', () => {
    const plotted = new Set(lines.map((line) => line.metric));
    expect(definitions.map(({ name }) => name).filter((name) => !plotted.has(name))).toEqual([]);
  });

  it('shows requests per hour', () => {
    expect(lines).toContainEqual(
      expect.objectContaining({ metric: METRICS.slackRequests.name, stat: 'Sum', period: 3600 }),
    );
  });

  it('shows decisions for every outcome', () => {
    const outcomes = lines
      .filter((line) => line.metric === METRICS.decisions.name)
      .map((line) => line.dimensions.Outcome);
    expect(outcomes.sort()).toEqual([...DECISION_OUTCOMES].sort());
  });

  it.each([
    [METRICS.timeToDecision.name, 'p50'],
    [METRICS.timeToDecision.name, 'p90'],
    [METRICS.slackAckLatency.name, 'p99'],
    [METRICS.commandLateReplies.name, 'Sum'],
    [METRICS.broadcastSize.name, 'Maximum'],
    [METRICS.broadcastDuration.name, 'p99'],
  ])('shows %s as %s', (metric, stat) => {
    expect(lines).toContainEqual(expect.objectContaining({ metric, stat }));
  });

  it('is one, named by CloudFormation', () => {
    expect(resourcesOfType(template, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    expect(dashboard?.Properties?.DashboardName).toBeUndefined();
  });
});
