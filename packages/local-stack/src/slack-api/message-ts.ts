import type { Clock } from './types';

/**
 * Issues message timestamps shaped like Slack's (`"1763812345.000200"`: seconds, then six digits of
 * microseconds). Each one is unique and greater than the last, even within one millisecond or when
 * an injected clock stands still, because Slack identifies messages by them.
 */
export class MessageTsIssuer {
  private lastMicros = 0;

  constructor(private readonly now: Clock) {}

  /** The last timestamp issued, if any. */
  last(): string | undefined {
    return this.lastMicros === 0 ? undefined : formatMicros(this.lastMicros);
  }

  /** Every later timestamp is greater than `ts` (one issued before a restart). */
  advancePast(ts: string): void {
    const [seconds = '0', micros = '0'] = ts.split('.');
    this.lastMicros = Math.max(this.lastMicros, Number(seconds) * 1_000_000 + Number(micros.padEnd(6, '0')));
  }

  next(): string {
    this.lastMicros = Math.max(Math.floor(this.now()) * 1000, this.lastMicros + 1);
    return formatMicros(this.lastMicros);
  }
}

function formatMicros(total: number): string {
  const seconds = Math.floor(total / 1_000_000);
  const micros = total % 1_000_000;
  return `${seconds}.${String(micros).padStart(6, '0')}`;
}

/** Orders two Slack timestamps (they compare as decimals, not as strings of any length). */
export function compareTs(a: string, b: string): number {
  const [aSeconds = '0', aMicros = '0'] = a.split('.');
  const [bSeconds = '0', bMicros = '0'] = b.split('.');
  return (
    Number(aSeconds) - Number(bSeconds) || Number(aMicros.padEnd(6, '0')) - Number(bMicros.padEnd(6, '0'))
  );
}
