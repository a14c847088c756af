import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';

type EventDetails = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp' | 'type'>;

/** One execution's history, in the shape GetExecutionHistory returns. */
export class HistoryLog {
  private readonly entries: HistoryEvent[];

  /** `restored`: the events of an execution read back after a restart. */
  constructor(
    private readonly onAppend: () => void,
    restored: HistoryEvent[] = [],
  ) {
    this.entries = [...restored];
  }

  add(type: HistoryEventType, details: EventDetails = {}): void {
    const id = this.entries.length + 1;
    this.entries.push({ timestamp: new Date(), type, id, previousEventId: id - 1, ...details });
    this.onAppend();
  }

  events(): ReadonlyArray<HistoryEvent> {
    return this.entries;
  }
}

/** History keeps payloads as JSON text, with the "not truncated" details AWS adds. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}
