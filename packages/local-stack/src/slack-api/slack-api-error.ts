/**
 * An error Slack reports as HTTP 200 `{ ok: false, error }`, with the `[ERROR] …` lines Slack puts in
 * `response_metadata.messages` when it can say what exactly is wrong.
 */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly messages: ReadonlyArray<string> = [],
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(messages.length > 0 ? `${code}: ${messages.join('; ')}` : code);
    this.name = 'SlackApiError';
  }

  toResponse(): Record<string, unknown> {
    return {
      ok: false,
      error: this.code,
      ...this.extra,
      ...(this.messages.length > 0 ? { response_metadata: { messages: [...this.messages] } } : {}),
    };
  }
}

/** Slack's wording for a problem at a JSON pointer inside the request. */
export function problemAt(pointer: string, reason: string): string {
  return `[ERROR] ${reason} [json-pointer:${pointer}]`;
}
