/**
 * Failures a test asks for: the next calls of a Web API method answer Slack's `{ ok: false, error }`
 * instead of running, so an app's handling of Slack's refusals (an expired trigger id, a rate limit
 * Slack reports as an error, an archived channel) can be exercised without arranging the cause.
 */
export class MethodFaults {
  private readonly pending = new Map<string, Array<{ error: string; remaining: number }>>();

  add(method: string, error: string, times: number): () => void {
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`times must be a positive integer, not ${times}`);
    const fault = { error, remaining: times };
    const queue = this.pending.get(method) ?? [];
    queue.push(fault);
    this.pending.set(method, queue);
    return () => {
      fault.remaining = 0;
    };
  }

  /** The error the next call of `method` must fail with, if one was asked for; spends one use. */
  take(method: string): string | undefined {
    const queue = this.pending.get(method);
    while (queue !== undefined && queue.length > 0) {
      const fault = queue[0];
      if (fault !== undefined && fault.remaining > 0) {
        fault.remaining -= 1;
        return fault.error;
      }
      queue.shift();
    }
    return undefined;
  }
}
