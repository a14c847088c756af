import { appendFileSync, writeFileSync } from 'node:fs';

/**
 * The Greenlight approval action. A JavaScript action needs no toolkit to read its inputs
 * (`INPUT_<NAME>`) or set outputs (`$GITHUB_OUTPUT`), so it has no dependencies: the committed
 * bundle is this file and nothing else. It holds nothing but the runner it already has while it
 * waits: a long poll answers as soon as the request is decided.
 */
type Env = Readonly<Record<string, string | undefined>>;

export interface Inputs {
  apiUrl: string;
  apiKey: string;
  title: string;
  approvers: string[];
  policy?: string;
  channel?: string;
  details?: string;
  timeout: string;
  artifact: { kind: string; digest: string; ref?: string; url?: string };
  receiptFile: string;
}

class ActionError extends Error {}

const input = (env: Env, name: string): string | undefined => {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim();
  return value ? value : undefined;
};

export function readInputs(env: Env): Inputs {
  const required = (name: string) => {
    const value = input(env, name);
    if (value === undefined) throw new ActionError(`Input required and not supplied: ${name}`);
    return value;
  };
  const apiUrl = required('api-url')
    .replace(/\/+$/, '')
    .replace(/\/approvals$/, '');
  const digest = input(env, 'artifact') ?? env.GITHUB_SHA;
  if (!digest) throw new ActionError('No artifact: set the artifact input (GITHUB_SHA is not set either)');
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repository = env.GITHUB_REPOSITORY;
  const kind = input(env, 'artifact-kind') ?? 'git-commit';
  const policy = input(env, 'policy');
  const channel = input(env, 'channel');
  const details = input(env, 'details');
  return {
    apiUrl,
    apiKey: required('api-key'),
    title: required('title'),
    approvers: (input(env, 'approvers') ?? '').split(/[\s,]+/).filter(Boolean),
    ...(policy ? { policy } : {}),
    ...(channel ? { channel } : {}),
    ...(details ? { details } : {}),
    timeout: input(env, 'timeout') ?? '1h',
    artifact: {
      kind,
      digest,
      ...(env.GITHUB_REF ? { ref: env.GITHUB_REF } : {}),
      ...(kind === 'git-commit' && repository && !input(env, 'artifact')
        ? { url: `${server}/${repository}/commit/${digest}` }
        : {}),
    },
    receiptFile: input(env, 'receipt-file') ?? 'greenlight-receipt.jws',
  };
}

/**
 * The request's Idempotency-Key: this run, attempt, job and step. A retried step finds its own
 * request again; another run (or a re-run attempt) never does, so concurrent runs never share one.
 */
export function idempotencyKey(env: Env, title: string): string {
  const parts = [
    env.GITHUB_REPOSITORY ?? 'local',
    env.GITHUB_RUN_ID ?? String(process.pid),
    env.GITHUB_RUN_ATTEMPT ?? '1',
    env.GITHUB_JOB ?? 'job',
    env.GITHUB_ACTION ?? 'greenlight',
    title,
  ];
  return parts
    .join('/')
    .replace(/[^\x21-\x7e]/g, '_')
    .slice(0, 255);
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  inputs: Inputs,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(`${inputs.apiUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${inputs.apiKey}`,
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return { status: response.status, body };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries what a retry can fix (the network, 429, 5xx) with backoff; a 4xx is the answer. */
async function callWithRetries(
  inputs: Inputs,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await call(inputs, method, path, options);
      if (answer.status < 500 && answer.status !== 429) return answer;
      if (attempt >= 6) return answer;
    } catch (error) {
      if (attempt >= 6) throw error;
    }
    await pause(Math.min(30_000, 500 * 2 ** attempt));
  }
}

function problem(answer: Answer): string {
  const fields = Array.isArray(answer.body.fields)
    ? ` ${(answer.body.fields as Array<{ message?: string }>).map((field) => field.message).join(' ')}`
    : '';
  return `${answer.status} ${String(answer.body.error ?? '')}: ${String(answer.body.message ?? '')}${fields}`;
}

export interface Outcome {
  id: string;
  status: string;
  message: string;
}

export async function run(env: Env, log: (line: string) => void): Promise<Outcome> {
  const inputs = readInputs(env);
  // Masked before anything else is printed, so no log line of the job can show it.
  log(`::add-mask::${inputs.apiKey}`);
  const request = {
    title: inputs.title,
    ...(inputs.approvers.length > 0 ? { approvers: inputs.approvers } : {}),
    ...(inputs.policy ? { policy: inputs.policy } : {}),
    ...(inputs.channel ? { channel: inputs.channel } : {}),
    ...(inputs.details ? { details: inputs.details } : {}),
    timeout: inputs.timeout,
    artifact: inputs.artifact,
  };
  const created = await callWithRetries(inputs, 'POST', '/approvals', {
    body: request,
    headers: { 'Idempotency-Key': idempotencyKey(env, inputs.title) },
  });
  if (created.status !== 201) throw new ActionError(`Greenlight refused the request: ${problem(created)}`);
  const id = String(created.body.id);
  log(`Approval ${id} requested: ${String(created.body.slackUrl)}`);
  setOutput(env, 'id', id);

  let current: Answer;
  for (;;) {
    current = await callWithRetries(inputs, 'GET', `/approvals/${encodeURIComponent(id)}?wait=25`);
    if (current.status !== 200) throw new ActionError(`Could not read ${id}: ${problem(current)}`);
    if (current.body.status !== 'PENDING') break;
  }
  const status = String(current.body.status);
  setOutput(env, 'status', status);
  if (typeof current.body.receipt === 'string') {
    writeFileSync(inputs.receiptFile, `${current.body.receipt}\n`);
    setOutput(env, 'receipt-file', inputs.receiptFile);
  }
  const decider = current.body.decider ? ` by ${String(current.body.decider)}` : '';
  const comment = current.body.comment ? `: ${String(current.body.comment)}` : '';
  return { id, status, message: `${id} ${status.toLowerCase()}${decider}${comment}` };
}

function setOutput(env: Env, name: string, value: string): void {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value.replace(/[\r\n]/g, ' ')}\n`);
}

/** Workflow commands take %, CR and LF escaped. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export async function main(env: Env = process.env): Promise<number> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const outcome = await run(env, log);
    if (outcome.status === 'APPROVED') {
      log(`Approved: ${outcome.message}`);
      return 0;
    }
    log(`::error::${escapeData(`Not approved: ${outcome.message}`)}`);
    return 1;
  } catch (error) {
    log(`::error::${escapeData(error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
