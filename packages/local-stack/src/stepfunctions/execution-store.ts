import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { appendLogLine, readLog, readSnapshot, writeSnapshot } from '../durable-file';
import { type ExecutionRecord, isExecutionRecord } from './execution-record';
import type { RecordedEvent } from './types';

const warn = (message: string) => console.warn(`stepfunctions: ${message}`);

/**
 * The data directory of the local Step Functions endpoint: one snapshot per STANDARD execution
 * (`executions/<state machine>/<name>.json`, rewritten after each change of its history) and the
 * `events:putEvents` entries as an append-only log (`events.jsonl`). EXPRESS executions stay in
 * memory: they are synchronous and short, and AWS shows them in no execution API either.
 */
export class ExecutionStore {
  constructor(private readonly dir: string) {}

  save(record: ExecutionRecord): void {
    writeSnapshot(this.pathOf(record), JSON.stringify(record));
  }

  /** Every kept execution, oldest first. A damaged file stops the start with its name. */
  load(): ExecutionRecord[] {
    const root = join(this.dir, 'executions');
    if (!existsSync(root)) return [];
    const records: ExecutionRecord[] = [];
    for (const machine of readdirSync(root)) {
      // A `.tmp` alone is an execution whose first write was cut short: readSnapshot reports it.
      const snapshots = new Set(
        readdirSync(join(root, machine))
          .filter((file) => file.endsWith('.json') || file.endsWith('.json.tmp'))
          .map((file) => file.replace(/\.tmp$/, '')),
      );
      for (const file of snapshots) {
        const path = join(root, machine, file);
        const value = readSnapshot(path, warn);
        if (value === undefined) continue;
        if (!isExecutionRecord(value)) throw new Error(`${path} is not an execution this version can read`);
        records.push(value);
      }
    }
    return records.sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  appendEvent(event: RecordedEvent): void {
    appendLogLine(join(this.dir, 'events.jsonl'), event);
  }

  loadEvents(): RecordedEvent[] {
    return readLog(join(this.dir, 'events.jsonl'), warn) as RecordedEvent[];
  }

  private pathOf(record: ExecutionRecord): string {
    const machine = record.stateMachineArn.split(':').at(-1) ?? 'unknown';
    return join(this.dir, 'executions', machine, `${record.name}.json`);
  }
}
