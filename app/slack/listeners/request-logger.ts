import type { Logger } from '../../shared/log';

/**
 * The logger the receiver made for this request (it carries the request id), which it hands to Bolt
 * as a custom property of the context; `fallback` where a listener runs outside the receiver.
 */
export function requestLoggerOf(context: object, fallback: Logger): Logger {
  const { logger } = context as { logger?: Logger };
  return logger ?? fallback;
}
