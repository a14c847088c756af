import { currentLogFields } from './log';
import { METRIC_NAMESPACE, METRICS, type MetricKey } from './metric-names';

/**
 * CloudWatch metrics as embedded-metric-format (EMF) log lines: CloudWatch Logs turns each line
 * into data points, so publishing costs no API call and no time on the request's path. The format
 * is written here by hand rather than with @aws-lambda-powertools/metrics: the figures are a
 * handful of fixed names (metric-names.ts), and the library cost the Slack function's cold start
 * bytes and time (README, "Metrics") while adding a `service` dimension the dashboard does not plot.
 */
export type MetricValues = Partial<Record<MetricKey, number>>;
export type MetricDimensions = Readonly<Record<string, string>>;

export interface Metrics {
  /**
   * Writes `values` as one line. Each metric is published with exactly its dimension set from
   * metric-names.ts, read from `dimensions`; a metric whose dimension is missing is a bug and throws.
   */
  emit(values: MetricValues, dimensions?: MetricDimensions): void;
}

type Sink = (line: string) => void;

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: Array<{ Name: string; Unit: string }>;
}

/** One EMF line: a directive per distinct dimension set, the values and dimensions at the root. */
export function emfLine(values: MetricValues, dimensions: MetricDimensions, timestamp: number): string {
  const directives = new Map<string, Directive>();
  const root: Record<string, unknown> = { ...currentLogFields() };
  for (const key of Object.keys(values) as MetricKey[]) {
    const value = values[key];
    if (value === undefined) continue;
    const metric = METRICS[key];
    for (const name of metric.dimensions) {
      const dimension = dimensions[name];
      if (dimension === undefined) throw new Error(`Metric ${metric.name} needs the ${name} dimension`);
      root[name] = dimension;
    }
    const set = metric.dimensions.join('\u0000');
    let directive = directives.get(set);
    if (directive === undefined) {
      directive = { Namespace: METRIC_NAMESPACE, Dimensions: [[...metric.dimensions]], Metrics: [] };
      directives.set(set, directive);
    }
    directive.Metrics.push({ Name: metric.name, Unit: metric.unit });
    root[metric.name] = value;
  }
  return JSON.stringify({
    _aws: { Timestamp: timestamp, CloudWatchMetrics: [...directives.values()] },
    ...root,
  });
}

export function createMetrics(options: { sink?: Sink; now?: () => number; enabled?: boolean } = {}): Metrics {
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  // LOG_LEVEL=silent (the tests' default) means no output at all, metric lines included.
  const enabled = options.enabled ?? process.env.LOG_LEVEL?.toLowerCase() !== 'silent';
  return {
    emit(values, dimensions = {}) {
      if (!enabled || Object.values(values).every((value) => value === undefined)) return;
      sink(emfLine(values, dimensions, now()));
    },
  };
}

/** Writes to stdout, where Lambda's log agent picks the lines up. */
export const metrics = createMetrics();
