import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate, restRoutes } from '@greenlight/local-stack/template';
import { describe, expect, test } from '@jest/globals';
import {
  explainStackError,
  generateManifest,
  loadManifestValidator,
  MANIFEST_PATH,
  ManifestError,
  readManifest,
  requestUrlFromBase,
  requestUrlFromOutputs,
  requestUrls,
  SLACK_EVENTS_ROUTE,
  type SlackManifest,
} from '../../scripts/manifest-tools';

const validate = loadManifestValidator();
const manifest = readManifest(validate);
const template = loadTemplate(join(__dirname, '../../template.yaml'));
const DEPLOYED_URL = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/slack/events';

function withCommand(source: SlackManifest, extra: Record<string, unknown>): unknown {
  const [command] = source.features?.slash_commands ?? [];
  return { ...source, features: { ...source.features, slash_commands: [{ ...command, ...extra }] } };
}

describe('manifest.json', () => {
  test('is valid against the vendored Slack manifest schema', () => {
    const raw = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as unknown;

    // On failure, the errors are listed one per line by the matcher's diff.
    expect(validate(raw)).toEqual({ ok: true });
  });

  test('targets major version 1 of the manifest schema', () => {
    expect(manifest._metadata?.major_version).toBe(1);
  });

  test('declares /greenlight with mentions escaped, as the command parser expects', () => {
    const commands = manifest.features?.slash_commands ?? [];

    expect(commands.map(({ command, should_escape }) => ({ command, should_escape }))).toEqual([
      { command: '/greenlight', should_escape: true },
    ]);
  });

  test('turns the Home tab on, beside the read-only Messages tab', () => {
    expect(manifest.features?.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
  });

  test('declares the Request approval step for Workflow Builder, run remotely by this app, with typed inputs and outputs', () => {
    const functions = manifest.functions as Record<
      string,
      {
        input_parameters: Record<string, { type: string }>;
        output_parameters: Record<string, { type: string }>;
      }
    >;
    const step = functions.request_approval;

    expect(manifest.settings?.function_runtime).toBe('remote');
    expect(
      Object.entries(step?.input_parameters ?? {}).map(([name, { type }]) => `${name}: ${type}`),
    ).toEqual([
      'title: string',
      'details: string',
      'requester: slack#/types/user_id',
      'approvers: array',
      'need: integer',
      'timeout: integer',
      'channel: slack#/types/channel_id',
    ]);
    expect(Object.keys(step?.output_parameters ?? {})).toEqual([
      'status',
      'deciders',
      'comment',
      'approval_id',
    ]);
  });

  test('declares the global and the message shortcut with the callback ids the app listens for', () => {
    const shortcuts = (manifest.features?.shortcuts ?? []) as Array<{ type: string; callback_id: string }>;

    expect(shortcuts.map(({ type, callback_id }) => ({ type, callback_id }))).toEqual([
      { type: 'global', callback_id: 'request_approval' },
      { type: 'message', callback_id: 'request_approval_for_message' },
    ]);
  });

  test('has a request URL for the slash command, interactivity and events', () => {
    expect(requestUrls(manifest).map(({ where }) => where)).toEqual([
      'features.slash_commands[0].url',
      'settings.interactivity.request_url',
      'settings.event_subscriptions.request_url',
    ]);
  });

  test('points every request URL at a POST route of template.yaml, under the default stage', () => {
    const stage = String(template.Parameters?.Stage?.Default);
    const routePaths = restRoutes(template)
      .filter((route) => route.method === 'POST')
      .map((route) => `/${stage}${route.path}`);

    const paths = requestUrls(manifest).map(({ url }) => new URL(url).pathname);

    expect(paths.filter((path) => !routePaths.includes(path))).toEqual([]);
    expect(paths.length).toBeGreaterThan(0);
  });

  test('uses placeholder hosts that can never resolve', () => {
    const hosts = requestUrls(manifest).map(({ url }) => new URL(url).hostname);

    expect(hosts.filter((host) => !host.endsWith('.invalid'))).toEqual([]);
  });

  test('asks for exactly the bot scopes the app needs, and no user scopes', () => {
    expect(manifest.oauth_config?.scopes).toEqual({
      bot: [
        'chat:write',
        'commands',
        'channels:history',
        'channels:read',
        'groups:read',
        'users:read',
        'users:read.email',
        'usergroups:read',
      ],
    });
  });

  test('subscribes to messages in public channels (mirror replies), Home tab openings and its Workflow Builder step', () => {
    expect(manifest.settings?.event_subscriptions?.bot_events).toEqual([
      'message.channels',
      'app_home_opened',
      'function_executed',
    ]);
  });

  test('turns interactivity on, socket mode and token rotation off, and org deploy on (custom steps need it)', () => {
    const { interactivity, socket_mode_enabled, token_rotation_enabled, org_deploy_enabled } =
      manifest.settings ?? {};

    expect({
      interactive: interactivity?.is_enabled,
      socket_mode_enabled,
      token_rotation_enabled,
      org_deploy_enabled,
    }).toEqual({
      interactive: true,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
      org_deploy_enabled: true,
    });
  });

  test('uses a route that template.yaml declares as the one Slack route', () => {
    const routes = restRoutes(template).map((route) => `${route.method} ${route.path}`);

    expect(routes).toContain(`POST ${SLACK_EVENTS_ROUTE}`);
  });
});

describe('the manifest schema check', () => {
  test('refuses a manifest whose app has no name', () => {
    const { name: _name, ...nameless } = manifest.display_information;

    const check = validate({ ...manifest, display_information: nameless });

    expect(check).toEqual({ ok: false, errors: ["/display_information must have required property 'name'"] });
  });

  test('refuses a misspelt key instead of ignoring it', () => {
    const check = validate(withCommand(manifest, { should_escpae: true }));

    expect(check).toEqual({
      ok: false,
      errors: ['/features/slash_commands/0 must NOT have additional properties: should_escpae'],
    });
  });

  test('refuses a background colour that is not a hex colour', () => {
    const check = validate({
      ...manifest,
      display_information: { ...manifest.display_information, background_color: 'green' },
    });

    expect(check.ok).toBe(false);
    expect(check.ok ? [] : check.errors).toEqual([
      expect.stringMatching(/^\/display_information\/background_color must match pattern/),
    ]);
  });

  test('names the supported versions when the major version is unknown', () => {
    const check = validate({ ...manifest, _metadata: { major_version: 9 } });

    expect(check).toEqual({ ok: false, errors: ['/_metadata/major_version must be 1 or 2, not 9'] });
  });
});

describe('generateManifest', () => {
  test('replaces every request URL with the one from the stack outputs', () => {
    const url = requestUrlFromOutputs([{ OutputKey: 'SlackRequestUrl', OutputValue: DEPLOYED_URL }], 'gl');

    const generated = generateManifest(manifest, url, validate);

    expect(requestUrls(generated)).toEqual(
      requestUrls(manifest).map(({ where }) => ({ where, url: DEPLOYED_URL })),
    );
  });

  test('produces a manifest that still validates', () => {
    const generated = generateManifest(manifest, DEPLOYED_URL, validate);

    expect(validate(generated)).toEqual({ ok: true });
  });

  test('leaves the source manifest as it was', () => {
    const before = structuredClone(manifest);

    generateManifest(manifest, DEPLOYED_URL, validate);

    expect(manifest).toEqual(before);
  });

  test('refuses to produce a manifest the schema rejects', () => {
    const tooLong = `https://example.com/${'a'.repeat(3000)}`;

    expect(() => generateManifest(manifest, tooLong, validate)).toThrow(
      /must NOT have more than 3000 characters/,
    );
  });
});

describe('requestUrlFromOutputs', () => {
  test('refuses stack outputs without SlackRequestUrl', () => {
    const outputs = [{ OutputKey: 'SomethingElse', OutputValue: DEPLOYED_URL }];

    expect(() => requestUrlFromOutputs(outputs, 'greenlight-prod')).toThrow(
      new ManifestError(
        'Stack greenlight-prod has no output SlackRequestUrl. Is it a Greenlight stack, and did its last deploy finish?',
      ),
    );
  });

  test('refuses a stack that has no outputs at all', () => {
    expect(() => requestUrlFromOutputs(undefined, 'greenlight-prod')).toThrow(
      /has no output SlackRequestUrl/,
    );
  });

  test('refuses a SlackRequestUrl that is not https', () => {
    const outputs = [
      { OutputKey: 'SlackRequestUrl', OutputValue: 'http://insecure.example.com/prod/slack/events' },
    ];

    expect(() => requestUrlFromOutputs(outputs, 'gl')).toThrow(/must be an https URL/);
  });
});

describe('requestUrlFromBase', () => {
  test('appends the Slack route to a base URL, with or without a trailing slash', () => {
    const urls = ['https://gl.tunnel.example/local', 'https://gl.tunnel.example/local/'].map(
      requestUrlFromBase,
    );

    expect(urls).toEqual([
      'https://gl.tunnel.example/local/slack/events',
      'https://gl.tunnel.example/local/slack/events',
    ]);
  });

  test('refuses an http base URL, which Slack would not call', () => {
    expect(() => requestUrlFromBase('http://localhost:3000/local')).toThrow(/must be an https URL/);
  });
});

describe('explainStackError', () => {
  function awsError(name: string, message: string): Error {
    return Object.assign(new Error(message), { name });
  }

  test('says when the stack does not exist, and where it looked', () => {
    const error = awsError('ValidationError', 'Stack with id gl does not exist');

    expect(explainStackError(error, 'gl', 'eu-west-1')).toBe(
      'Stack gl was not found in eu-west-1. Check --stack (the name `sam deploy` used) and --region.',
    );
  });

  test('says when there are no AWS credentials, and offers --url-base', () => {
    const error = awsError('CredentialsProviderError', 'Could not load credentials from any providers');

    expect(explainStackError(error, 'gl', 'eu-west-1')).toMatch(/No AWS credentials found.*--url-base/);
  });

  test('leaves any other error to be reported as it is', () => {
    const error = awsError('ThrottlingException', 'Rate exceeded');

    expect(explainStackError(error, 'gl', 'eu-west-1')).toBeUndefined();
  });
});
