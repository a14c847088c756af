import { problemAt, SlackApiError } from './slack-api-error';

/**
 * The arguments of one Web API call. Form bodies carry every value as a string (with `blocks`,
 * `attachments` and `view` JSON-encoded, as `WebClient` sends them); JSON bodies carry real values.
 * These readers accept both.
 */
export class ApiArgs {
  constructor(private readonly values: Readonly<Record<string, unknown>>) {}

  has(name: string): boolean {
    const value = this.values[name];
    return value !== undefined && value !== null && value !== '';
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    if (typeof value === 'string') return value === '' ? undefined : value;
    // JSON callers sometimes send ids and timestamps as numbers; Slack accepts them.
    if (typeof value === 'number') return String(value);
    return undefined;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined)
      throw new SlackApiError('invalid_arguments', [problemAt('', `missing required field: ${name}`)]);
    return value;
  }

  boolean(name: string): boolean {
    const value = this.values[name];
    return value === true || value === 1 || value === 'true' || value === '1';
  }

  integer(name: string): number | undefined {
    const raw = this.values[name];
    const value = typeof raw === 'string' && raw !== '' ? Number(raw) : raw;
    return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
  }

  /** A structured argument; a string is decoded as JSON, and undecodable JSON raises `errorCode`. */
  json(name: string, errorCode: string): unknown {
    const value = this.values[name];
    if (typeof value !== 'string') return value ?? undefined;
    if (value.trim() === '') return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new SlackApiError(errorCode, [problemAt(`/${name}`, 'must be valid JSON')]);
    }
  }
}
