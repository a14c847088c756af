/** Keys whose values the sandbox never shows: task tokens, signing secrets, passwords. */
const SECRET_KEY = /token|secret|password|signature/i;

export const REDACTED = '[redacted]';

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) ? REDACTED : redactValue(inner),
      ]),
    );
  }
  return value;
}

/**
 * JSON text as the page shows it: indented, with the values of secret-looking keys replaced. A task
 * token is a capability to decide a workflow step, so it stays out of the page like any secret.
 * Text that is not JSON is shown as it is.
 */
export function redactJson(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.stringify(redactValue(JSON.parse(text)), null, 2);
  } catch {
    return text;
  }
}
