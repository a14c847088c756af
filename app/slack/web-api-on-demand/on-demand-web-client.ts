import type { WebClient as RealWebClient, WebClientOptions } from '@slack/web-api';
import { isWebApiLoaded, loadWebApi } from './load-web-api';

const onDemandClients = new WeakSet<object>();

/**
 * Forwards every operation to the client `real()` returns. Functions are bound to the real client,
 * so its methods (and the event emitter it extends) see their own `this`, whoever calls them.
 */
function forwardTo(real: () => RealWebClient): ProxyHandler<object> {
  const bound = new WeakMap<object, unknown>();
  return {
    get(_target, key) {
      const client = real();
      const value: unknown = Reflect.get(client, key, client);
      if (typeof value !== 'function') return value;
      let method = bound.get(value);
      if (method === undefined) {
        method = value.bind(client);
        bound.set(value, method);
      }
      return method;
    },
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  };
}

/**
 * What `new WebClient(token, options)` gives in the Slack function's bundle: a stand-in that builds
 * the real client (and loads the Web API module) when it is first used. Bolt builds one client as
 * the app starts and one per workspace on its first request, and most requests (every slash command
 * answered in its HTTP response) never call the Web API.
 */
export class OnDemandWebClient {
  constructor(token?: string, options?: WebClientOptions) {
    let client: RealWebClient | undefined;
    const real = () => {
      client ??= new (loadWebApi().WebClient)(token, options);
      return client;
    };
    const standIn = new Proxy({}, forwardTo(real));
    onDemandClients.add(standIn);
    // biome-ignore lint/correctness/noConstructorReturn: the instance is the stand-in, so `new` gives it directly.
    return standIn;
  }

  /** A stand-in is a WebClient; so is a real client, which only exists once the Web API is loaded. */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    return onDemandClients.has(value) || (isWebApiLoaded() && value instanceof loadWebApi().WebClient);
  }
}
