import type { WebClientOptions } from '@slack/web-api';
import { onFirstUse } from '../../shared/on-first-use';
import { isWebApiLoaded, loadWebApi } from '../load-web-api';

const standIns = new WeakSet<object>();

/**
 * What `new WebClient(token, options)` gives in the Slack function's bundle: a stand-in that builds
 * the real client (and loads the Web API module) when it is first used. Bolt builds one client as
 * the app starts and one per workspace on its first request, and most requests (every slash command
 * answered in its HTTP response) never call the Web API.
 */
export class OnDemandWebClient {
  constructor(token?: string, options?: WebClientOptions) {
    const standIn = onFirstUse(() => new (loadWebApi().WebClient)(token, options));
    standIns.add(standIn);
    // biome-ignore lint/correctness/noConstructorReturn: the instance is the stand-in, so `new` gives it directly.
    return standIn;
  }

  /** A stand-in is a WebClient; so is a real client, which only exists once the Web API is loaded. */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    return standIns.has(value) || (isWebApiLoaded() && value instanceof loadWebApi().WebClient);
  }
}
