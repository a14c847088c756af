import type { Surface, ValuesInput } from '../protocol';
import type { ElementUse } from './block-kit/render-context';
import type { Store } from './store';

/** What the views need from the page: the store, and the things a person can do. */
export interface PageContext {
  store: Store;
  /** Sends a click or a choice to the app; failures show where Slack shows them. */
  act(
    surface: Surface,
    use: ElementUse,
    values: ValuesInput,
    where: { channel: string; threadTs?: string },
  ): void;
  openThread(channel: string, ts: string): void;
  /** Sends a shortcut to the app: a global one, or a message one with its message. */
  runShortcut(callbackId: string, message?: { channel: string; ts: string; threadTs?: string }): void;
}
