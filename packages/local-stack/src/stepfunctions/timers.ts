// setTimeout treats any delay above 2^31-1 ms (about 24.8 days) as 1 ms, so long ASL timeouts
// (the default task timeout is 99999999 s) are clamped instead of firing at once.
const MAX_TIMER_MS = 2_147_483_647;

export function timerDelayMs(seconds: number): number {
  return Math.min(Math.max(0, seconds * 1000), MAX_TIMER_MS);
}
