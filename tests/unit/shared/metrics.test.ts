import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../app/shared/log';
import { metricFields } from '../../../app/shared/metrics';

describe('metricFields', () => {
  it('makes a log line CloudWatch reads as metrics (Embedded Metric Format), with the counts at the root', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', sink: (line) => lines.push(line) });
    const at = new Date('2026-11-22T12:00:00Z');

    logger.info('close_out_sweep', metricFields('Greenlight', { SweepAnnounced: 2, SweepExpired: 0 }, at));

    expect(JSON.parse(lines[0] ?? '{}')).toEqual(
      expect.objectContaining({
        message: 'close_out_sweep',
        _aws: {
          Timestamp: at.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: 'Greenlight',
              Dimensions: [[]],
              Metrics: [
                { Name: 'SweepAnnounced', Unit: 'Count' },
                { Name: 'SweepExpired', Unit: 'Count' },
              ],
            },
          ],
        },
        SweepAnnounced: 2,
        SweepExpired: 0,
      }),
    );
  });
});
