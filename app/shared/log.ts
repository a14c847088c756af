import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Structured JSON logging, one line per entry. Keys that can carry credentials are redacted
 * wherever they appear, so a careless `log.info('x', { event })` cannot leak a token.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const SECRET_KEY = /token|secret|signature|password|authorization|cookie|credential|^key$/i;
const MAX_DEPTH = 6;

function parseLevel(raw: string | undefined): LogLevel {
  const level = raw?.toLowerCase();
  return level !== undefined && level in RANK ? (level as LogLevel) : 'info';
}

export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return describeError(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(item, depth + 1);
  }
  return out;
}

function describeError(error: Error): LogFields {
  const out: LogFields = { name: error.name, message: error.message };
  if (error.stack) out.stack = error.stack;
  if (error.cause !== undefined) out.cause = redact(error.cause, MAX_DEPTH - 1);
  return out;
}

/**
 * Fields every line written inside `withLogContext` carries, whichever logger writes it: the
 * correlation id reaches the lines of loggers built once per container (Bolt's, the clients') too.
 *
 * An invocation alone in its process keeps them in a variable; AsyncLocalStorage is used only when
 * a context opens while another is open. Lambda runs one invocation at a time per execution
 * environment, so on Lambda that is never; the local stack runs concurrent invocations of a function
 * in one process (and a Lambda Managed Instance may too), where AsyncLocalStorage keeps them apart.
 * Why not AsyncLocalStorage always: on Node 22 it hooks every promise from its first use on, which
 * cost the Slack function about 20 µs of CPU per warm request, more than the rest of the request's
 * own work (docs/cold-start.md). A store, where there is one, wins over the variable: code running
 * inside another context's work (a function the local stack invokes in-process) is that context's.
 * What an invocation leaves running after it returns is not its own any more.
 */
const context = new AsyncLocalStorage<LogFields>();
let alone: LogFields | undefined;

export function withLogContext<T>(fields: LogFields, run: () => T): T {
  if (alone !== undefined || context.getStore() !== undefined) return context.run(fields, run);
  alone = fields;
  const close = () => {
    alone = undefined;
  };
  let result: T;
  try {
    result = run();
  } catch (error) {
    close();
    throw error;
  }
  if (result instanceof Promise) {
    return result.finally(close) as T;
  }
  close();
  return result;
}

/** The fields of the innermost `withLogContext` around this call, if any. */
export function currentLogFields(): LogFields | undefined {
  return context.getStore() ?? alone;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every entry (e.g. the request id). */
  child(fields: LogFields): Logger;
  readonly level: LogLevel;
}

type Sink = (line: string) => void;

// A class, not closures: a child logger is made per request, so it should cost one small object.
// Its fields are kept apart from its parent's and merged only when a line is written, which most
// requests never do.
class JsonLogger implements Logger {
  constructor(
    readonly level: LogLevel,
    private readonly base: LogFields,
    private readonly sink: Sink,
    private readonly own?: LogFields,
  ) {}

  private write(entryLevel: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void {
    if (RANK[entryLevel] < RANK[this.level]) return;
    const entry = {
      level: entryLevel,
      time: new Date().toISOString(),
      message,
      ...currentLogFields(),
      ...this.base,
      ...this.own,
      ...fields,
    };
    this.sink(JSON.stringify(redact(entry)));
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }
  child(fields: LogFields): Logger {
    const base = this.own === undefined ? this.base : { ...this.base, ...this.own };
    return new JsonLogger(this.level, base, this.sink, fields);
  }
}

export function createLogger(options: { level?: LogLevel; base?: LogFields; sink?: Sink } = {}): Logger {
  return new JsonLogger(
    options.level ?? parseLevel(process.env.LOG_LEVEL),
    options.base ?? {},
    options.sink ?? ((line) => process.stdout.write(`${line}\n`)),
  );
}

export const log = createLogger();
