import { describe, expect, it } from '@jest/globals';
import { withCorrelationId } from '../../../app/shared/correlation';
import { METRIC_NAMESPACE, METRICS, type MetricKey } from '../../../app/shared/metric-names';
import { createMetrics, type MetricValues } from '../../../app/shared/metrics';

interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: Array<{ Name: string; Unit: string }>;
}
interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: EmfDirective[] };
  [key: string]: unknown;
}

function capture(enabled = true) {
  const lines: string[] = [];
  const metrics = createMetrics({ sink: (line) => lines.push(line), now: () => 1_795_352_400_000, enabled });
  return { metrics, parsed: () => lines.map((line) => JSON.parse(line) as EmfLine), lines };
}

describe('EMF metric lines', () => {
  it.each(Object.keys(METRICS) as MetricKey[])(
    'publish %s with its name, unit and exact dimensions',
    (key) => {
      const { metrics, parsed } = capture();
      const spec = METRICS[key];
      metrics.emit({ [key]: 3 }, { Outcome: 'APPROVED' });
      const [line] = parsed();
      expect(line?._aws.Timestamp).toBe(1_795_352_400_000);
      expect(line?._aws.CloudWatchMetrics).toEqual([
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[...spec.dimensions]],
          Metrics: [{ Name: spec.name, Unit: spec.unit }],
        },
      ]);
      expect(line?.[spec.name]).toBe(3);
      for (const dimension of spec.dimensions) expect(line?.[dimension]).toBe('APPROVED');
      // A dimension the metric does not have must not appear: it would make a second series.
      if (spec.dimensions.length === 0) expect(line).not.toHaveProperty('Outcome');
    },
  );

  it('groups metrics of different dimension sets into one line with a directive each', () => {
    const { metrics, parsed } = capture();
    metrics.emit({ decisions: 1, timeToDecision: 90 }, { Outcome: 'REJECTED' });
    const [line, ...rest] = parsed();
    expect(rest).toEqual([]);
    expect(line?._aws.CloudWatchMetrics).toEqual([
      { Namespace: 'Greenlight', Dimensions: [['Outcome']], Metrics: [{ Name: 'Decisions', Unit: 'Count' }] },
      { Namespace: 'Greenlight', Dimensions: [[]], Metrics: [{ Name: 'TimeToDecision', Unit: 'Seconds' }] },
    ]);
    expect(line).toMatchObject({ Decisions: 1, TimeToDecision: 90, Outcome: 'REJECTED' });
  });

  it('puts metrics that share a dimension set in one directive', () => {
    const { metrics, parsed } = capture();
    metrics.emit({ slackRequests: 1, slackAckLatency: 412 });
    expect(parsed()[0]?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Greenlight',
        Dimensions: [[]],
        Metrics: [
          { Name: 'SlackRequests', Unit: 'Count' },
          { Name: 'SlackAckLatency', Unit: 'Milliseconds' },
        ],
      },
    ]);
  });

  it('carries the correlation id of the request it was emitted in', () => {
    const { metrics, parsed } = capture();
    withCorrelationId('req-123', () => metrics.emit({ slackRequests: 1 }));
    expect(parsed()[0]?.correlationId).toBe('req-123');
  });

  it('refuses a metric without its dimension rather than publish a series the dashboard misses', () => {
    const { metrics, lines } = capture();
    expect(() => metrics.emit({ decisions: 1 })).toThrow('Metric Decisions needs the Outcome dimension');
    expect(lines).toEqual([]);
  });

  it('writes nothing when there is no value, or when output is off', () => {
    const on = capture();
    on.metrics.emit({} as MetricValues);
    const off = capture(false);
    off.metrics.emit({ slackRequests: 1 });
    expect([...on.lines, ...off.lines]).toEqual([]);
  });
});
