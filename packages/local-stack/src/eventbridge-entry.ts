/**
 * What EventBridge checks of each PutEvents entry on its own: a bad entry is reported in the
 * result (`ErrorCode`, `ErrorMessage`), not as a failed call. The EventBridge endpoint and the Step
 * Functions `events:putEvents` integration both judge entries by it.
 */
export function checkEventEntry(entry: Record<string, unknown>): string | undefined {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') return `Parameter ${field} is not valid.`;
  }
  try {
    const detail: unknown = JSON.parse(String(entry.Detail));
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
      return 'Detail must be a JSON object.';
  } catch {
    return 'Detail is malformed.';
  }
  return undefined;
}
