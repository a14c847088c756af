import type { SlackApiChange, SlackApiChangeListener } from './types';

/** Live updates for the sandbox page and tests: every change the stand-in makes, as it makes it. */
export class ChangeFeed {
  private readonly listeners = new Set<SlackApiChangeListener>();

  subscribe(listener: SlackApiChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(change: SlackApiChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A broken observer must not turn a Slack API call that succeeded into a failure; it is
        // reported here rather than swallowed.
        console.error('slack-api: change listener failed', error);
      }
    }
  }
}
