import { addAppMetadata, loadWebApi, type WebApiModule } from '../load-web-api';
import { OnDemandWebClient } from './on-demand-web-client';

/**
 * `@slack/web-api` as the Slack function's bundle sees it (esbuild `alias`, see
 * scripts/lambda-functions.ts): the same exports, but the module behind them (the client and its
 * queue, retries and 280 method bindings) is read and evaluated on first use, from its own file,
 * instead of at cold start. `WebClient` and `addAppMetadata` are the two Bolt touches as it loads and
 * starts; every other export loads the real module when read. Tests check the names match its own.
 */
const ON_READ = [
  'ErrorCode',
  'SlackError',
  'WebAPIFileUploadInvalidArgumentsError',
  'WebAPIFileUploadReadFileDataError',
  'WebAPIHTTPError',
  'WebAPIPlatformError',
  'WebAPIRateLimitedError',
  'WebAPIRequestError',
  'LogLevel',
  'retryPolicies',
  'ChatStreamer',
  'WebClientEvent',
  'Methods',
  'EntityType',
  'CustomFieldType',
] as const satisfies ReadonlyArray<keyof WebApiModule>;

const webApiOnDemand: Record<string, unknown> = { WebClient: OnDemandWebClient, addAppMetadata };
for (const name of ON_READ) {
  Object.defineProperty(webApiOnDemand, name, { enumerable: true, get: () => loadWebApi()[name] });
}

// CommonJS on purpose: an ES module's exports are bound once, while these getters load on read.
export = webApiOnDemand;
