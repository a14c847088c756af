import { currentLogFields } from './log';
import { METRIC_NAMESPACE, METRICS, type MetricKey } from './metric-names';

/**
 * CloudWatch metrics as embedded-metric-format (EMF) log lines: CloudWatch Logs turns each line
 * into data points, so publishing costs no API call on the request's path, only a write to stdout.
 * The format is written here by hand rather than with @aws-lambda-powertools/metrics: the figures
 * are a handful of fixed names (metric-names.ts), and the library added 15 KB to the Slack
 * function's handler file for no gain in what is published (README, "Build and benchmark"). Its
 * default `service` dimension would also have to be cleared, since the dashboard plots none.
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

/** A directive per distinct dimension set, in the order the metrics come. */
function directivesFor(keys: readonly MetricKey[]): Directive[] {
  const directives = new Map<string, Directive>();
  for (const key of keys) {
    const metric = METRICS[key];
    const set = metric.dimensions.join('\u0000');
    let directive = directives.get(set);
    if (directive === undefined) {
      directive = { Namespace: METRIC_NAMESPACE, Dimensions: [[...metric.dimensions]], Metrics: [] };
      directives.set(set, directive);
    }
    directive.Metrics.push({ Name: metric.name, Unit: metric.unit });
  }
  return [...directives.values()];
}

// The `_aws` block depends only on which metrics a line holds, and the functions publish a few fixed
// combinations: serialized once each, because a line is written on the Slack function's every request.
const serializedDirectives = new Map<string, string>();

/**
 * One EMF line: a directive per distinct dimension set, the values and dimensions at the root. Built
 * as text in one pass, since the Slack function writes one on every request: no object to hold the
 * root, no second serialization of it.
 */
export function emfLine(values: MetricValues, dimensions: MetricDimensions, timestamp: number): string {
  let combination = '';
  let root = '';
  const fields = currentLogFields();
  if (fields !== undefined) {
    for (const name in fields) root += `,${JSON.stringify(name)}:${JSON.stringify(fields[name] ?? null)}`;
  }
  let written: Set<string> | undefined;
  for (const key in values) {
    const value = values[key as MetricKey];
    if (value === undefined) continue;
    const metric = METRICS[key as MetricKey];
    for (const name of metric.dimensions) {
      const dimension = dimensions[name];
      if (dimension === undefined) throw new Error(`Metric ${metric.name} needs the ${name} dimension`);
      written ??= new Set();
      if (written.has(name)) continue;
      written.add(name);
      root += `,${JSON.stringify(name)}:${JSON.stringify(dimension)}`;
    }
    root += `,"${metric.name}":${JSON.stringify(value)}`;
    combination = combination === '' ? key : `${combination},${key}`;
  }
  let directives = serializedDirectives.get(combination);
  if (directives === undefined) {
    directives = JSON.stringify(
      directivesFor(combination === '' ? [] : (combination.split(',') as MetricKey[])),
    );
    serializedDirectives.set(combination, directives);
  }
  return `{"_aws":{"Timestamp":${timestamp},"CloudWatchMetrics":${directives}}${root}}`;
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
