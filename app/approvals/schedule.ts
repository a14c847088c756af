import type { Approval } from './model';

/** The reminders and the escalation not yet done, in seconds after the request was made, soonest first. */
export function checkpointsLeft(approval: Approval): Array<{ at: number; kind: 'remind' | 'escalate' }> {
  const schedule = approval.schedule;
  if (schedule === undefined) return [];
  const trail = approval.trail ?? [];
  // Reminders are appended in order, so how many there are says which come next.
  const reminded = trail.filter((entry) => entry.kind === 'reminded').length;
  const points: Array<{ at: number; kind: 'remind' | 'escalate' }> = schedule.remindSeconds
    .slice(reminded)
    .map((at) => ({ at, kind: 'remind' }));
  if (schedule.escalate && !trail.some((entry) => entry.kind === 'escalated'))
    points.push({ at: schedule.escalate.afterSeconds, kind: 'escalate' });
  return points.sort((a, b) => a.at - b.at);
}

/**
 * How long the workflow's next wait lasts: up to the next reminder or escalation, never past the
 * request's deadline. Waiting in segments keeps the reminders inside the workflow (no polling).
 */
export function nextWaitSeconds(
  approval: Pick<Approval, 'createdAt' | 'expiresAt' | 'schedule' | 'trail'>,
  now: Date,
): number {
  const left = Math.ceil((Date.parse(approval.expiresAt) - now.getTime()) / 1000);
  const elapsed = (now.getTime() - Date.parse(approval.createdAt)) / 1000;
  const next = checkpointsLeft(approval as Approval)[0];
  const untilNext = next === undefined ? left : Math.ceil(next.at - elapsed);
  return Math.max(1, Math.min(left, untilNext));
}

/** Whether a reminder or the escalation is due now: only then may the workflow's own timeout end a wait early. */
export function checkpointDue(approval: Approval, now: Date): boolean {
  const elapsed = (now.getTime() - Date.parse(approval.createdAt)) / 1000;
  return checkpointsLeft(approval).some((point) => point.at <= elapsed);
}
