/**
 * Polls until `probe` returns a value other than undefined (or stops throwing), for state that
 * settles asynchronously (a workflow finishing, a message being updated). Not a timing assertion:
 * the limit only keeps a broken test from hanging.
 */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 20, what = 'the condition' } = {},
): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > giveUpAt) {
      throw new Error(
        `Gave up waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
