import type * as WebApi from '@slack/web-api';

export type WebApiModule = typeof WebApi;
export type AppMetadata = Parameters<WebApiModule['addAppMetadata']>[0];

let webApi: WebApiModule | undefined;
const pendingAppMetadata: AppMetadata[] = [];

/**
 * The real `@slack/web-api`, loaded on the first call. In the Slack function's deployment it is the
 * file web-api-chunk.js beside the handler's, and Node resolves this `require` from the handler's
 * file: so this module sits beside handler.ts, where the same path also finds the TypeScript source.
 */
export function loadWebApi(): WebApiModule {
  if (webApi === undefined) {
    const loaded = require('../slack/web-api-chunk') as WebApiModule;
    for (const metadata of pendingAppMetadata.splice(0)) loaded.addAppMetadata(metadata);
    webApi = loaded;
  }
  return webApi;
}

export function isWebApiLoaded(): boolean {
  return webApi !== undefined;
}

/**
 * Bolt registers its name and version for the Web API's User-Agent as it loads. That needs no Web
 * API yet: the metadata is kept until the module is loaded, and passed on then.
 */
export function addAppMetadata(metadata: AppMetadata): void {
  if (webApi === undefined) pendingAppMetadata.push(metadata);
  else webApi.addAppMetadata(metadata);
}
