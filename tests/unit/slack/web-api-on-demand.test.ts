import { describe, expect, it, jest } from '@jest/globals';
import type { Logger } from '@slack/web-api';
import * as realWebApi from '@slack/web-api';

import webApiOnDemand = require('../../../app/slack/web-api-on-demand');

import { loadWebApi } from '../../../app/slack/load-web-api';
import { OnDemandWebClient } from '../../../app/slack/web-api-on-demand/on-demand-web-client';

type LoaderModule = typeof import('../../../app/slack/load-web-api');
type InstrumentModule = typeof import('@slack/web-api/dist/instrument');

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (...parts: unknown[]) => {
    lines.push(parts.join(' '));
  };
  return {
    lines,
    debug: record,
    info: record,
    warn: record,
    error: record,
    setLevel: () => undefined,
    getLevel: () => realWebApi.LogLevel.DEBUG,
    setName: () => undefined,
  };
}

/**
 * Runs `body` against a fresh module registry, so the loader starts with the Web API not loaded.
 * Everything that loads modules must happen inside: outside, `require` uses the test's own registry.
 */
function withFreshModules<T>(body: (load: { loader: LoaderModule; instrument: InstrumentModule }) => T): T {
  let result: { value: T } | undefined;
  jest.isolateModules(() => {
    result = {
      value: body({
        loader: require('../../../app/slack/load-web-api') as LoaderModule,
        instrument: require('@slack/web-api/dist/instrument') as InstrumentModule,
      }),
    };
  });
  if (result === undefined) throw new Error('isolateModules did not run');
  return result.value;
}

describe('@slack/web-api on demand', () => {
  it('offers exactly the exports of @slack/web-api', () => {
    expect(Object.keys(webApiOnDemand).sort()).toEqual(Object.keys(realWebApi).sort());
  });

  it('gives the real value of every export but WebClient and addAppMetadata', () => {
    const real: Record<string, unknown> = { ...realWebApi };
    const names = Object.keys(real).filter((name) => name !== 'WebClient' && name !== 'addAppMetadata');
    const notTheRealOne = names.filter((name) => webApiOnDemand[name] !== real[name]);
    expect({ names: names.length, notTheRealOne }).toEqual({ names: 15, notTheRealOne: [] });
  });

  it('loads nothing until an export other than WebClient or addAppMetadata is read', () => {
    const observed = withFreshModules(({ loader }) => {
      const onDemand = require('../../../app/slack/web-api-on-demand') as Record<string, unknown>;
      new (onDemand.WebClient as typeof OnDemandWebClient)('xoxb-unused');
      (onDemand.addAppMetadata as LoaderModule['addAppMetadata'])({ name: 'before-load', version: '1.0.0' });
      const loadedBeforeRead = loader.isWebApiLoaded();
      const { PlatformError } = onDemand.ErrorCode as typeof realWebApi.ErrorCode;
      return { loadedBeforeRead, loadedAfterRead: loader.isWebApiLoaded(), PlatformError };
    });
    expect(observed).toEqual({
      loadedBeforeRead: false,
      loadedAfterRead: true,
      PlatformError: 'slack_webapi_platform_error',
    });
  });

  it('passes app metadata registered before and after the Web API loads on to its User-Agent', () => {
    const userAgent = withFreshModules(({ loader, instrument }) => {
      loader.addAppMetadata({ name: 'early-app', version: '1.2.3' });
      loader.loadWebApi();
      loader.addAppMetadata({ name: 'late-app', version: '4.5.6' });
      return instrument.getUserAgent();
    });
    expect(userAgent).toEqual(expect.stringMatching(/^early-app\/1\.2\.3 late-app\/4\.5\.6 /));
  });
});

describe('OnDemandWebClient', () => {
  it('builds the real client only when the stand-in is first used', () => {
    const logger = recordingLogger();
    const client = new OnDemandWebClient('xoxb-on-demand', { logger }) as realWebApi.WebClient;
    const linesBeforeUse = [...logger.lines];
    const token = client.token;
    expect({ linesBeforeUse, token, linesAfterUse: logger.lines }).toEqual({
      linesBeforeUse: [],
      token: 'xoxb-on-demand',
      linesAfterUse: ['initialized'],
    });
  });

  it('builds one real client however often it is used', () => {
    const logger = recordingLogger();
    const client = new OnDemandWebClient('xoxb-once', { logger }) as realWebApi.WebClient;
    void client.token;
    void client.chat;
    void client.slackApiUrl;
    expect(logger.lines).toEqual(['initialized']);
  });

  it('is an instance of both the stand-in class and the real WebClient', () => {
    const client = new OnDemandWebClient('xoxb-instance');
    expect([client instanceof OnDemandWebClient, client instanceof realWebApi.WebClient]).toEqual([
      true,
      true,
    ]);
  });

  it('counts a real client of the loaded Web API as a WebClient, and anything else as not one', () => {
    const real = new (loadWebApi().WebClient)('xoxb-real');
    expect([real instanceof OnDemandWebClient, {} instanceof OnDemandWebClient]).toEqual([true, false]);
  });
});
