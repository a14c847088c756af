import { randomUUID } from 'node:crypto';
import { checkEventEntry } from '../../eventbridge-entry';
import { TaskFailure } from '../task-failure';
import type { RecordedEvent } from '../types';
import { asRecord, type IntegrationCall } from './integration';

/**
 * `arn:aws:states:::events:putEvents`: entries are kept for the sandbox and the tests to read. As
 * on AWS, EventBridge judges each entry on its own and keeps the good ones, and a response with a
 * non-zero FailedEntryCount fails the Task with `EventBridge.FailedEntry` (Step Functions' optimized
 * EventBridge integration, as documented).
 */
export function putEvents(call: IntegrationCall): Promise<unknown> {
  const entries = asRecord(call.parameters).Entries;
  if (!Array.isArray(entries) || entries.length === 0) {
    return Promise.reject(
      new TaskFailure('States.Runtime', "events:putEvents needs a non-empty 'Entries' array"),
    );
  }
  const results = entries.map((raw) => {
    const entry = asRecord(raw);
    const problem = checkEventEntry({
      ...entry,
      // The ASL may give Detail as a JSON object; EventBridge judges the text it becomes.
      ...(typeof entry.Detail === 'object' && entry.Detail !== null
        ? { Detail: JSON.stringify(entry.Detail) }
        : {}),
    });
    if (problem !== undefined) return { ErrorCode: 'InvalidArgument', ErrorMessage: problem };
    call.services.recordEvents([toRecordedEvent(entry)]);
    return { EventId: randomUUID() };
  });
  const response = {
    Entries: results,
    FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
  };
  if (response.FailedEntryCount > 0) {
    return Promise.reject(new TaskFailure('EventBridge.FailedEntry', JSON.stringify(response)));
  }
  return Promise.resolve(response);
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
