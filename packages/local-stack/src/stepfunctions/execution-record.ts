import type { ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';
import type { WaitStateInfo } from './engine-definition';

/**
 * Where a persisted execution stands: the top-level state it last entered, with that state's raw
 * input, so a restart can re-enter the state machine there (see Execution.resume).
 */
export interface Checkpoint {
  state: string;
  input: unknown;
  /** Epoch ms. */
  enteredAt: number;
  /** A Wait state's deadline (epoch ms), when it could be worked out on entry. */
  waitUntil?: number;
  /** A `.waitForTaskToken` task of this state, once its token exists. */
  task?: {
    token: string;
    /** The task's States.Timeout deadline (epoch ms); none for the default "forever". */
    deadline?: number;
    /** The integration returned: from here on the task only waits for its callback. */
    submitted: boolean;
  };
}

export interface ExecutionEnding {
  status: Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>;
  output?: string;
  error?: string;
  cause?: string;
}

/** One STANDARD execution as it is kept in the data directory. */
export interface ExecutionRecord {
  version: 1;
  arn: string;
  name: string;
  stateMachineArn: string;
  input: string;
  startDate: string;
  status: ExecutionStatus;
  stopDate?: string;
  ending?: ExecutionEnding;
  history: HistoryEvent[];
  checkpoint?: Checkpoint;
}

export function isExecutionRecord(value: unknown): value is ExecutionRecord {
  const record = value as Partial<ExecutionRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    record.version === 1 &&
    typeof record.arn === 'string' &&
    typeof record.name === 'string' &&
    typeof record.stateMachineArn === 'string' &&
    typeof record.input === 'string' &&
    typeof record.startDate === 'string' &&
    typeof record.status === 'string' &&
    Array.isArray(record.history)
  );
}

/** History events come back from JSON with their timestamps as text. */
export function revivedHistory(events: HistoryEvent[]): HistoryEvent[] {
  return events.map((event) => ({ ...event, timestamp: new Date(event.timestamp ?? 0) }));
}

/**
 * When a Wait state entered now with this input ends, if that can be known: `Seconds`, or a
 * `SecondsPath` of plain fields and indexes (`$.a.b[0]`). A `Timestamp(Path)` wait needs nothing: it
 * ends at its timestamp whenever it is entered.
 */
export function waitDeadline(wait: WaitStateInfo | undefined, input: unknown, enteredAt: number) {
  if (wait?.seconds !== undefined) return enteredAt + wait.seconds * 1000;
  if (wait?.secondsPath === undefined) return undefined;
  const seconds = readSimplePath(wait.secondsPath, input);
  return typeof seconds === 'number' && seconds >= 0 ? enteredAt + seconds * 1000 : undefined;
}

function readSimplePath(path: string, input: unknown): unknown {
  if (!/^\$(?:\.[A-Za-z_][\w]*|\[\d+\])*$/.test(path)) return undefined;
  let value = input;
  for (const [, field, index] of path.slice(1).matchAll(/\.([A-Za-z_][\w]*)|\[(\d+)\]/g)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[field ?? index ?? ''];
  }
  return value;
}
