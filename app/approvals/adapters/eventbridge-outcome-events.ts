import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { ApprovalUpdate } from '../ports';
import type { ApprovalOutcome, OutcomeEvents } from '../workflow-ports';
import { updatedEventEntry } from './eventbridge-update-events';

/** What subscribers match on; the same as the approval workflow put before announcing moved here. */
export const DECIDED_EVENT = { source: 'greenlight', detailType: 'Greenlight Approval Decided' } as const;

export class EventBridgeOutcomeEvents implements OutcomeEvents {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async updated(update: ApprovalUpdate): Promise<void> {
    const { Entries, FailedEntryCount } = await this.client.send(
      new PutEventsCommand({ Entries: [updatedEventEntry(this.busName, update)] }),
    );
    if (FailedEntryCount) {
      const entry = Entries?.[0];
      throw Object.assign(
        new Error(`EventBridge refused the updated event: ${entry?.ErrorMessage ?? 'no reason'}`),
        {
          name: entry?.ErrorCode ?? 'PutEventsFailed',
        },
      );
    }
  }

  async decided(outcome: ApprovalOutcome, closing?: ApprovalUpdate): Promise<void> {
    const { Entries, FailedEntryCount } = await this.client.send(
      new PutEventsCommand({
        Entries: [
          ...(closing ? [updatedEventEntry(this.busName, closing)] : []),
          {
            EventBusName: this.busName,
            Source: DECIDED_EVENT.source,
            DetailType: DECIDED_EVENT.detailType,
            Detail: JSON.stringify(outcome),
          },
        ],
      }),
    );
    // PutEvents answers 200 with the entry refused inside: that is a failure to publish.
    if (FailedEntryCount) {
      const entry = Entries?.find((candidate) => candidate.ErrorCode !== undefined) ?? Entries?.[0];
      throw Object.assign(
        new Error(`EventBridge refused the decided event: ${entry?.ErrorMessage ?? 'no reason'}`),
        {
          name: entry?.ErrorCode ?? 'PutEventsFailed',
        },
      );
    }
  }
}
