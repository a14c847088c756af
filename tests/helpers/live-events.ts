import type { LiveEvent } from '@greenlight/local-stack/sandbox/protocol';

/**
 * Reads the sandbox's Server-Sent Events as the page's EventSource would, keeping every event; tests
 * wait for the one they expect and then look at everything that arrived.
 */
export class LiveEvents {
  readonly events: LiveEvent[] = [];
  private readonly controller = new AbortController();
  private readonly waiters = new Set<() => void>();

  private constructor() {}

  static async open(sandboxUrl: string, user: string): Promise<LiveEvents> {
    const live = new LiveEvents();
    const response = await fetch(`${sandboxUrl}/api/live?user=${encodeURIComponent(user)}`, {
      signal: live.controller.signal,
    });
    if (!response.ok || response.body === null)
      throw new Error(`live updates refused: HTTP ${response.status}`);
    void live.read(response.body);
    await live.next((event) => event.type === 'snapshot');
    return live;
  }

  /** Resolves with the first event (already received or still to come) that matches. */
  next<T extends LiveEvent>(matches: (event: LiveEvent) => event is T): Promise<T>;
  next(matches: (event: LiveEvent) => boolean): Promise<LiveEvent>;
  next(matches: (event: LiveEvent) => boolean): Promise<LiveEvent> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.events.find(matches);
        if (found === undefined) return;
        this.waiters.delete(check);
        resolve(found);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (data !== '') this.events.push(JSON.parse(data) as LiveEvent);
          end = buffer.indexOf('\n\n');
        }
        for (const waiter of [...this.waiters]) waiter();
      }
    } catch (error) {
      if (!this.controller.signal.aborted) throw error;
    }
  }
}
