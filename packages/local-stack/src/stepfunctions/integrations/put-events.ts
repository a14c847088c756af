import { randomUUID } from 'node:crypto';
import { TaskFailure } from '../task-failure';
import type { RecordedEvent } from '../types';
import { asRecord, type IntegrationCall } from './integration';

/** `arn:aws:states:::events:putEvents`: entries are kept for the sandbox and the tests to read. */
export function putEvents(call: IntegrationCall): Promise<unknown> {
  const entries = asRecord(call.parameters).Entries;
  if (!Array.isArray(entries) || entries.length === 0) {
    return Promise.reject(
      new TaskFailure('States.Runtime', "events:putEvents needs a non-empty 'Entries' array"),
    );
  }
  const recorded = entries.map((entry) => toRecordedEvent(asRecord(entry)));
  call.services.recordEvents(recorded);
  return Promise.resolve({ Entries: recorded.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 });
}

function toRecordedEvent(entry: Record<string, unknown>): Omit<RecordedEvent, 'time'> {
  const event: Omit<RecordedEvent, 'time'> = {};
  if (typeof entry.Source === 'string') event.Source = entry.Source;
  if (typeof entry.DetailType === 'string') event.DetailType = entry.DetailType;
  // The ASL may give Detail as a JSON object; EventBridge only ever carries it as text.
  if (entry.Detail !== undefined) {
    event.Detail = typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail);
  }
  event.EventBusName = typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default';
  return event;
}
