import { DEV_SECRET_KEYS } from '@greenlight/local-stack/dev-config';
import { loadTemplate, resourcesOfType } from '@greenlight/local-stack/template';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { SECRET_ARN_VARIABLE, SECRET_NAMES, TEMPLATE_SECRET_NAMES } from '../../../app/shared/secrets';
import { bundleFunctions, type FunctionBundle } from '../../helpers/function-bundles';

/**
 * Every environment variable a function's code can read (scanned in what its bundle keeps of our
 * modules) is set for that function by template.yaml, comes from the app's secret, is set by
 * Lambda itself, or is a documented optional; and the template sets nothing that is never read.
 */
const template = loadTemplate('template.yaml');
const functionIds = resourcesOfType(template, 'AWS::Serverless::Function').map(([id]) => id);

/** Set by the Lambda runtime in every function (the role's credentials, the region). */
const SET_BY_LAMBDA = ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/** Read when present and safe to leave out of the template; each with why. */
const OPTIONAL: Record<string, string> = {
  AWS_ENDPOINT_URL: 'the SDKs’ standard endpoint setting; the local stack points clients at itself with it',
  AWS_ENDPOINT_URL_SFN: 'the SDKs’ standard endpoint setting; set, it also turns off the sync- host prefix',
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'the SDKs’ standard switch that ignores the two above',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: 'the SDKs’ standard endpoint setting, for the local Secrets Manager',
  AWS_USE_FIPS_ENDPOINT: 'the SDKs’ standard setting for FIPS endpoints',
  SLACK_API_URL: 'the Web API’s address; unset means slack.com (the local stack points it at its stand-in)',
  GITHUB_API_URL:
    'GitHub’s REST API, as GitHub Actions names it; unset means api.github.com (the local stack: its stand-in)',
  SLACK_BOT_USER_ID: 'the bot’s user id; without it, it is read from each event’s authorizations',
  SLACK_BOT_ID: 'the bot id; only saves reading it from events',
  COMMAND_BUDGET_MS: 'how long /greenlight waits for the command workflow; 2500 ms by default',
  APPROVER_EMAILS: 'a JSON map of Slack user id to e-mail address, used before the Slack profile’s',
  WEBSOCKET_RATE_LIMIT: 'messages per window per WebSocket connection; 10 by default',
  WEBSOCKET_RATE_WINDOW_SECONDS: 'the rate window; 10 s by default',
  BROADCAST_CONCURRENCY: 'requests in flight per broadcast; 48 by default',
  SWEEP_GRACE_SECONDS:
    'how long the close-out sweep leaves a decision or an expiry to the workflow; 120 s by default',
  // The secrets' explicit alternative (tests, the benchmark): never set in the template, where
  // GREENLIGHT_SECRET_ARN is, and refused by the functions when both are set.
  ...Object.fromEntries(
    SECRET_NAMES.map((name) => [name, 'read directly only without GREENLIGHT_SECRET_ARN']),
  ),
};

const READS = [
  /\.(?:required|optional|integer)\(\s*["']([A-Z][A-Z0-9_]*)["']/g,
  /\bprocess\.env\.([A-Z][A-Z0-9_]*)/g,
  // An `env` parameter, which esbuild may rename (env2) when bundling.
  /\benv\d*\.([A-Z][A-Z0-9_]*)/g,
  /\benv\d*\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]/g,
];

function readsOf(bundle: FunctionBundle): {
  all: string[];
  required: string[];
  secrets: string[];
  requiredSecrets: string[];
} {
  const all = new Set<string>();
  const required = new Set<string>();
  const secrets = new Set<string>();
  const requiredSecrets = new Set<string>();
  for (const code of bundle.modules.values()) {
    for (const pattern of READS) for (const [, name = ''] of code.matchAll(pattern)) all.add(name);
    for (const [, name = ''] of code.matchAll(/\.required\(\s*["']([A-Z][A-Z0-9_]*)["']/g))
      required.add(name);
    // reader.group(["A", "B"]): a feature's variables, read together (all or none).
    for (const [, list = ''] of code.matchAll(/\.group\(\s*\[([^\]]*)\]/g)) {
      for (const [, name = ''] of list.matchAll(/["']([A-Z][A-Z0-9_]*)["']/g)) all.add(name);
    }
    // secretsFor(["SLACK_BOT_TOKEN", ...]): the keys this function reads from the secret.
    // secretsFor([...], { optional: [...] }): keys it can do without (a feature that stays off).
    for (const [, list = '', optional = ''] of code.matchAll(
      /secretsFor\(\s*\[([^\]]*)\](?:\s*,\s*\{\s*optional:\s*\[([^\]]*)\])?/g,
    )) {
      for (const [, name = ''] of list.matchAll(/["']([A-Z][A-Z0-9_]*)["']/g)) {
        secrets.add(name);
        requiredSecrets.add(name);
      }
      for (const [, name = ''] of optional.matchAll(/["']([A-Z][A-Z0-9_]*)["']/g)) secrets.add(name);
    }
  }
  return {
    all: [...all].sort(),
    required: [...required].sort(),
    secrets: [...secrets].sort(),
    requiredSecrets: [...requiredSecrets].sort(),
  };
}

function templateVariables(id: string): string[] {
  const globals = template.Globals?.Function?.Environment?.Variables ?? {};
  const own =
    (template.Resources[id]?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {};
  return Object.keys({ ...globals, ...own }).sort();
}

/** The keys the stack's secret is created with (its placeholder JSON). */
function secretKeys(): string[] {
  const [[, secret] = ['', undefined]] = resourcesOfType(template, 'AWS::SecretsManager::Secret');
  return Object.keys(JSON.parse(String(secret?.Properties?.SecretString ?? '{}')) as object).sort();
}

/**
 * Functions that cannot work without a key added after the first release (an upgraded stack has it
 * only once `npm run secret-value` ran again): only new features, which answer with the missing key.
 */
const REQUIRES_LATER_KEYS: Record<string, string[]> = {
  ApiFunction: ['RECEIPT_SIGNING_KEY', 'GITHUB_WEBHOOK_SECRET'],
};

let bundles: Map<string, FunctionBundle>;

beforeAll(async () => {
  bundles = new Map((await bundleFunctions(template)).map((bundle) => [bundle.logicalId, bundle]));
}, 60_000);

describe.each(functionIds)('%s', (id) => {
  it('gets every variable its code requires from the template or the app’s secret', () => {
    const { required, secrets } = readsOf(bundles.get(id) as FunctionBundle);
    const provided = new Set([...templateVariables(id), ...secrets]);
    expect(required.filter((name) => !provided.has(name))).toEqual([]);
  });

  it('reads no variable that is not set, from the secret, Lambda’s own or a documented optional', () => {
    const { all, secrets } = readsOf(bundles.get(id) as FunctionBundle);
    const known = new Set([...templateVariables(id), ...secrets, ...SET_BY_LAMBDA, ...Object.keys(OPTIONAL)]);
    expect(all.filter((name) => !known.has(name))).toEqual([]);
  });

  it('is set no variable its code never reads', () => {
    const { all } = readsOf(bundles.get(id) as FunctionBundle);
    expect(templateVariables(id).filter((name) => !all.includes(name))).toEqual([]);
  });

  it('reads its secrets from the app’s secret, and requires only keys a stack created before them has', () => {
    const { secrets, requiredSecrets } = readsOf(bundles.get(id) as FunctionBundle);
    expect(secrets.length).toBeGreaterThan(0);
    expect(templateVariables(id)).toContain(SECRET_ARN_VARIABLE);
    expect(secrets.filter((name) => !(SECRET_NAMES as readonly string[]).includes(name))).toEqual([]);
    const mayRequire = new Set([...secretKeys(), ...(REQUIRES_LATER_KEYS[id] ?? [])]);
    expect(requiredSecrets.filter((name) => !mayRequire.has(name))).toEqual([]);
  });

  it('is given no secret as a plain value', () => {
    expect(
      templateVariables(id).filter((name) => (SECRET_NAMES as readonly string[]).includes(name)),
    ).toEqual([]);
  });
});

describe('the app’s secret', () => {
  it('is created with the keys of the first release only; secret-value writes the rest', () => {
    expect(secretKeys()).toEqual([...TEMPLATE_SECRET_NAMES].sort());
    expect(TEMPLATE_SECRET_NAMES.filter((name) => !SECRET_NAMES.includes(name))).toEqual([]);
  });

  it('is filled on the local stack for every key the app reads, and no other', () => {
    expect(Object.keys(DEV_SECRET_KEYS).sort()).toEqual([...SECRET_NAMES].sort());
  });

  it('is the secret every function is pointed at', () => {
    expect(template.Globals?.Function?.Environment?.Variables?.[SECRET_ARN_VARIABLE]).toEqual({
      Ref: 'AppSecret',
    });
  });
});

describe('the template’s parameters', () => {
  it('take no secret: secrets go in the app’s secret, never in parameters', () => {
    const names = Object.keys(template.Parameters ?? {});
    expect(names.filter((name) => /secret|token|key|password/i.test(name))).toEqual([]);
  });
});
