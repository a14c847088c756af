import type { Logger as BoltLogger } from '@slack/bolt';
import { LogLevel } from '@slack/logger';
import type { Logger } from './log';

const LEVELS: Record<Logger['level'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function entry(parts: unknown[]): [string, Record<string, unknown>] {
  const error = parts.find((part): part is Error => part instanceof Error);
  const text = parts
    .filter((part) => !(part instanceof Error))
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
    .join(' ');
  return [text || (error?.message ?? ''), error ? { error } : {}];
}

/** Routes Bolt's own log lines into our JSON logger (and through its redaction). */
export function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...parts) => logger.debug(...entry(parts)),
    info: (...parts) => logger.info(...entry(parts)),
    warn: (...parts) => logger.warn(...entry(parts)),
    error: (...parts) => logger.error(...entry(parts)),
    setLevel: () => {},
    getLevel: () => LEVELS[logger.level],
    setName: () => {},
  };
}
