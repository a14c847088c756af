import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The pure half of `npm run manifest`: reading and checking manifest.json against Slack's schema,
 * and pointing its request URLs at a deployment. No AWS here, so the tests use it as is.
 */

const REPO_ROOT = resolve(__dirname, '..');
export const MANIFEST_PATH = join(REPO_ROOT, 'manifest.json');
export const SCHEMA_DIR = join(REPO_ROOT, 'schemas', 'slack-manifest');

/** The one REST route that takes slash commands, interactivity and events (see template.yaml). */
export const SLACK_EVENTS_ROUTE = '/slack/events';
/** The stack output that holds the full request URL, stage included. */
export const REQUEST_URL_OUTPUT = 'SlackRequestUrl';

/** The parts of a Slack app manifest this tooling reads; the schema describes the rest. */
export interface SlackManifest {
  _metadata?: { major_version?: number; minor_version?: number };
  display_information: { name: string; description?: string; background_color?: string };
  features?: {
    bot_user?: { display_name: string; always_online?: boolean };
    slash_commands?: Array<{
      command: string;
      description: string;
      url?: string;
      usage_hint?: string;
      should_escape?: boolean;
    }>;
    [key: string]: unknown;
  };
  oauth_config?: { scopes?: { bot?: string[]; user?: string[] }; [key: string]: unknown };
  settings?: {
    event_subscriptions?: { request_url?: string; bot_events?: string[]; user_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string; message_menu_options_url?: string };
    socket_mode_enabled?: boolean;
    org_deploy_enabled?: boolean;
    token_rotation_enabled?: boolean;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** A problem the person running the tool can fix; the CLI prints its message without a stack trace. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

export type ManifestCheck = { ok: true } | { ok: false; errors: string[] };
export type ManifestValidator = (manifest: unknown) => ManifestCheck;

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** Every absolute `$ref` in a schema: the versioned schemas the top-level one dispatches to. */
function externalRefs(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) externalRefs(item, found);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && /^https?:\/\//.test(value)) found.add(value);
      else externalRefs(value, found);
    }
  }
  return found;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const detail =
    error.keyword === 'additionalProperties'
      ? `: ${String(params.additionalProperty)}`
      : error.keyword === 'enum'
        ? `: ${JSON.stringify(params.allowedValues)}`
        : '';
  return `${where} ${error.message ?? error.keyword}${detail}`;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  // A failed `regex` also reports itself beside the `pattern` it expands to; the pattern says more.
  const useful = (errors ?? []).filter((error) => error.keyword !== 'regex');
  return [...new Set(useful.map(describeError))];
}

/**
 * Compiles the vendored schema (draft-07). Its top-level file only dispatches on
 * `_metadata.major_version` to one file per major version, referenced by GitHub URL; those URLs are
 * served from the vendored copies, so validation never touches the network.
 */
export function loadManifestValidator(schemaDir: string = SCHEMA_DIR): ManifestValidator {
  // Strict, so a keyword Ajv does not know stops us rather than being skipped. Two of its lints are
  // off because Slack's schema is valid draft-07 without them: `required` with no `type: "object"`,
  // and `required` naming a property that a `not` leaves undeclared.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  // `_note` is the schema authors' comment: an annotation, nothing to check.
  ajv.addVocabulary(['_note']);
  // `background_color` spells `pattern` as `regex`. Read it as the pattern it is meant to be, so a
  // bad colour is caught here rather than when Slack imports the manifest.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    macro: (regex: string) => ({ pattern: regex }),
  });

  const root = readJson(join(schemaDir, 'manifest.schema.json'));
  const refs = externalRefs(root);
  for (const ref of refs) {
    ajv.addSchema(readJson(join(schemaDir, 'schemas', basename(new URL(ref).pathname))) as object, ref);
  }
  const validateAll = ajv.compile(root as object);

  // The top-level oneOf reports every branch it tried; for readable errors, say what is wrong
  // against the one version the manifest asks for (no major_version means 1, as Slack reads it).
  const versionedSchemas = new Map<unknown, ValidateFunction>();
  for (const ref of refs) {
    const major = /\/manifest\.schema\.(\d+)\.\d+\.\d+\.json$/.exec(ref)?.[1];
    const validate = ajv.getSchema(ref);
    if (major !== undefined && validate !== undefined) versionedSchemas.set(Number(major), validate);
  }

  return (manifest) => {
    if (validateAll(manifest)) return { ok: true };
    const metadata = (manifest as { _metadata?: { major_version?: unknown } } | null)?._metadata;
    const major = metadata?.major_version ?? 1;
    const versioned = versionedSchemas.get(major);
    if (versioned === undefined) {
      const known = [...versionedSchemas.keys()].join(' or ');
      return {
        ok: false,
        errors: [`/_metadata/major_version must be ${known}, not ${JSON.stringify(major)}`],
      };
    }
    if (!versioned(manifest)) return { ok: false, errors: describeErrors(versioned.errors) };
    return { ok: false, errors: describeErrors(validateAll.errors) };
  };
}

/** Checks a parsed manifest against the schema; the value is typed only once it passes. */
export function parseManifest(
  value: unknown,
  validate: ManifestValidator,
  source = 'manifest',
): SlackManifest {
  const check = validate(value);
  if (!check.ok) {
    throw new ManifestError(`${source} is not a valid Slack app manifest:\n  ${check.errors.join('\n  ')}`);
  }
  return value as SlackManifest;
}

export function readManifest(validate: ManifestValidator, path: string = MANIFEST_PATH): SlackManifest {
  return parseManifest(readJson(path), validate, path);
}

export interface RequestUrl {
  /** Where in the manifest, for messages and tests. */
  where: string;
  url: string;
}

/** Every URL Slack sends requests to: slash commands, interactivity (and its options), events. */
export function requestUrls(manifest: SlackManifest): RequestUrl[] {
  const found: RequestUrl[] = [];
  for (const [index, command] of (manifest.features?.slash_commands ?? []).entries()) {
    if (command.url !== undefined)
      found.push({ where: `features.slash_commands[${index}].url`, url: command.url });
  }
  const interactivity = manifest.settings?.interactivity;
  if (interactivity?.request_url !== undefined) {
    found.push({ where: 'settings.interactivity.request_url', url: interactivity.request_url });
  }
  if (interactivity?.message_menu_options_url !== undefined) {
    found.push({
      where: 'settings.interactivity.message_menu_options_url',
      url: interactivity.message_menu_options_url,
    });
  }
  const events = manifest.settings?.event_subscriptions;
  if (events?.request_url !== undefined) {
    found.push({ where: 'settings.event_subscriptions.request_url', url: events.request_url });
  }
  return found;
}

/** A copy of the manifest with every request URL set to `url`; the original is left alone. */
export function withRequestUrl(manifest: SlackManifest, url: string): SlackManifest {
  const copy = structuredClone(manifest);
  for (const command of copy.features?.slash_commands ?? []) {
    if (command.url !== undefined) command.url = url;
  }
  const interactivity = copy.settings?.interactivity;
  if (interactivity?.request_url !== undefined) interactivity.request_url = url;
  if (interactivity?.message_menu_options_url !== undefined) interactivity.message_menu_options_url = url;
  const events = copy.settings?.event_subscriptions;
  if (events?.request_url !== undefined) events.request_url = url;
  return copy;
}

/** Slack only calls https URLs; a query string or fragment would not survive its signing either. */
export function checkRequestUrl(url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ManifestError(`${source} is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'https:') {
    throw new ManifestError(`${source} must be an https URL (Slack refuses http): ${url}`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new ManifestError(`${source} must not have a query string or fragment: ${url}`);
  }
  return parsed.toString();
}

export interface StackOutput {
  OutputKey?: string | undefined;
  OutputValue?: string | undefined;
}

/** The request URL from the stack's outputs, or an error that says which stack lacks it. */
export function requestUrlFromOutputs(outputs: readonly StackOutput[] | undefined, stack: string): string {
  const value = outputs?.find((output) => output.OutputKey === REQUEST_URL_OUTPUT)?.OutputValue;
  if (value === undefined || value === '') {
    throw new ManifestError(
      `Stack ${stack} has no output ${REQUEST_URL_OUTPUT}. Is it a Greenlight stack, and did its last deploy finish?`,
    );
  }
  return checkRequestUrl(value, `Output ${REQUEST_URL_OUTPUT} of stack ${stack}`);
}

/** `https://host/stage` (a tunnel to the local stack, say) → the full request URL. */
export function requestUrlFromBase(base: string): string {
  const checked = checkRequestUrl(base, '--url-base');
  return `${checked.replace(/\/+$/, '')}${SLACK_EVENTS_ROUTE}`;
}

/** The manifest pointed at `requestUrl`, checked against the schema before anyone writes it. */
export function generateManifest(
  manifest: SlackManifest,
  requestUrl: string,
  validate: ManifestValidator,
): SlackManifest {
  return parseManifest(withRequestUrl(manifest, requestUrl), validate, 'The generated manifest');
}

/**
 * Turns the AWS SDK errors people actually hit into instructions; undefined for anything else,
 * which the CLI then reports as it is.
 */
export function explainStackError(
  error: unknown,
  stack: string,
  region: string | undefined,
): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const where = region === undefined ? '' : ` in ${region}`;
  if (error.name === 'ValidationError' && /does not exist/i.test(error.message)) {
    return `Stack ${stack} was not found${where}. Check --stack (the name \`sam deploy\` used) and --region.`;
  }
  if (error.name === 'CredentialsProviderError' || /could not load credentials/i.test(error.message)) {
    return 'No AWS credentials found. Sign in (`aws sso login`, `aws configure`, or set AWS_PROFILE), or pass --url-base instead of --stack.';
  }
  if (
    /^(ExpiredToken|ExpiredTokenException|InvalidClientTokenId|UnrecognizedClientException)$/.test(error.name)
  ) {
    return `The AWS credentials were refused (${error.name}). Sign in again, then rerun.`;
  }
  if (/region is missing/i.test(error.message)) {
    return 'No AWS region: pass --region or set AWS_REGION.';
  }
  return undefined;
}
