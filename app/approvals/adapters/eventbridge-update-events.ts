import type { EventBridgeChunkModule } from '../../shared/load-eventbridge';
import type { Logger } from '../../shared/log';
import type { ApprovalUpdate, UpdateEvents } from '../ports';

/** What subscribers match on for every event of a request's trail. */
export const UPDATED_EVENT = { source: 'greenlight', detailType: 'Greenlight Approval Updated' } as const;

/** The PutEvents entry of one trail event: the votes' adapter and the outcome's both put it. */
export function updatedEventEntry(busName: string, update: ApprovalUpdate) {
  return {
    EventBusName: busName,
    Source: UPDATED_EVENT.source,
    DetailType: UPDATED_EVENT.detailType,
    Detail: JSON.stringify(update),
  };
}

/** The client and command this adapter needs, loaded when first needed (app/shared/load-eventbridge.ts). */
export type EventBridgeModule = EventBridgeChunkModule;

/**
 * Publishes each recorded vote. A refusal or an outage is logged and does not fail the vote: the
 * record already holds it, and its trail keeps the event for `status` and the outcome.
 */
export class EventBridgeUpdateEvents implements UpdateEvents {
  constructor(
    private readonly load: () => EventBridgeModule,
    private readonly busName: string,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  async updated(update: ApprovalUpdate): Promise<void> {
    const { eventBridge, PutEventsCommand } = this.load();
    try {
      const answer = await eventBridge.send(
        new PutEventsCommand({ Entries: [updatedEventEntry(this.busName, update)] }),
      );
      if (answer.FailedEntryCount)
        this.logger.warn('approval_update_event_refused', { approvalId: update.id });
    } catch (error) {
      this.logger.warn('approval_update_event_failed', { approvalId: update.id, error });
    }
  }
}
