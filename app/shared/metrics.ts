/**
 * CloudWatch metrics written as a log line in the Embedded Metric Format: CloudWatch Logs turns the
 * line into metrics, so the function needs no cloudwatch:PutMetricData permission and no client.
 * The line is a log entry like any other; pass the fields to the logger.
 */
export function metricFields(
  namespace: string,
  counts: Readonly<Record<string, number>>,
  at: Date = new Date(),
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [[]],
          Metrics: Object.keys(counts).map((name) => ({ Name: name, Unit: 'Count' })),
        },
      ],
    },
    ...counts,
  };
}
