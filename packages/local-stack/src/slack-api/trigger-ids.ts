import { randomBytes, randomInt } from 'node:crypto';
import { SlackApiError } from './slack-api-error';
import type { Clock } from './types';

/** Slack honours a trigger id for 3 seconds, once. */
export const TRIGGER_ID_LIFETIME_MS = 3_000;

interface Trigger {
  issuedAt: number;
  userId: string | undefined;
  exchanged: boolean;
}

/** The trigger ids that interactions hand to the app, and their one-shot exchange for a modal. */
export class TriggerIds {
  private readonly triggers = new Map<string, Trigger>();

  constructor(private readonly now: Clock) {}

  issue(userId: string | undefined): string {
    const id = `${randomInt(1_000_000_000, 9_999_999_999)}.${randomInt(1_000_000_000, 9_999_999_999)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { issuedAt: this.now(), userId, exchanged: false });
    return id;
  }

  /** Spends a trigger id and returns the user it was issued for; Slack's errors otherwise. */
  exchange(id: string): { userId: string | undefined } {
    const trigger = this.triggers.get(id);
    if (trigger === undefined) throw new SlackApiError('invalid_trigger_id');
    if (this.now() - trigger.issuedAt > TRIGGER_ID_LIFETIME_MS) throw new SlackApiError('expired_trigger_id');
    if (trigger.exchanged) throw new SlackApiError('exchanged_trigger_id');
    trigger.exchanged = true;
    return { userId: trigger.userId };
  }
}
