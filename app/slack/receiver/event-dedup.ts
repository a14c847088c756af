/**
 * Remembers which Events API deliveries were handled, so Slack's retries (`X-Slack-Retry-Num`) do
 * not run a listener twice. A claim is released when handling fails, so the retry gets its turn.
 */
export interface EventDedup {
  /** True when this call is the first to claim the event id. */
  claim(eventId: string): Promise<boolean>;
  release(eventId: string): Promise<void>;
}
