import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/**
 * `npm start` as a user runs it (persistent, real child process), killed with SIGKILL while three
 * approvals wait, then started again on the same data directory and ports. Every approval must then
 * end end to end, decided the three ways a person decides: a click, an e-mailed link, the reject
 * modal. The stack is driven only through its public endpoints (the sandbox API the page uses,
 * Step Functions, DynamoDB, the e-mailed link).
 */

const REPO = resolve(__dirname, '../..');
const SERVICES = [
  'SANDBOX',
  'REST',
  'WEBSOCKET',
  'DYNAMODB',
  'STEPFUNCTIONS',
  'SES',
  'SLACK_API',
  'SECRETS_MANAGER',
  'LAMBDA',
  'EVENT_BRIDGE',
];
const CHANNEL = 'C0APPROVAL';
const RITA = 'U0REQUESTR';
const ANA = 'U0APPROVER';
const OMAR = 'U0APPROVR2';
const APPROVAL_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:ApprovalStateMachine';

interface Endpoints {
  sandbox: string;
  stepfunctions: string;
  dynamodb: string;
  region: string;
}

interface Message {
  ts: string;
  text: string;
  thread_ts?: string;
  blocks?: Array<{ type: string; block_id?: string; elements?: Array<{ action_id?: string }> }>;
}

interface Snapshot {
  messages: Record<string, Message[]>;
  ephemerals: Array<{ text: string }>;
  modals: Array<{
    id: string;
    blocks: Array<{ type: string; block_id?: string; element?: { action_id?: string } }>;
  }>;
  emails: Array<{ subject: string; to: string[]; text?: string }>;
}

/** Ports nobody uses now, held at once so no two are the same; reused by the restart. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((done, fail) => {
          const server = createServer();
          server.once('error', fail);
          server.listen(0, '127.0.0.1', () => done(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

/**
 * A working directory of its own for the child: `npm start` reads template.yaml, workflows/ and
 * app/ from its working directory, and a `.env` there, which must not be the checkout's (a
 * developer's own settings would change the ports and secrets this test expects).
 */
function projectDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-kill-cwd-'));
  for (const entry of [
    'template.yaml',
    'workflows',
    'app',
    'scripts',
    'packages',
    'node_modules',
    'package.json',
    'tsconfig.json',
  ]) {
    symlinkSync(join(REPO, entry), join(dir, entry));
  }
  return dir;
}

class StackProcess {
  output = '';
  private constructor(readonly child: ChildProcess) {}

  static async start(cwd: string, dataDir: string, env: Record<string, string>): Promise<StackProcess> {
    // `npm start` is `tsx scripts/start.ts`; tsx's CLI runs the script in a child process of its
    // own, which a SIGKILL of the CLI would leave running. Loaded into one process instead, the
    // kill hits the stack itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--data-dir', dataDir], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stack = new StackProcess(child);
    running.add(child);
    child.once('exit', () => running.delete(child));
    await new Promise<void>((ready, fail) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        stack.output += chunk.toString();
        if (stack.output.includes('Ctrl+C stops')) ready();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        stack.output += chunk.toString();
      });
      child.once('exit', (code, signal) =>
        fail(new Error(`npm start exited (${code ?? signal}):\n${stack.output}`)),
      );
    });
    return stack;
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill(signal);
    await exited;
  }
}

const running = new Set<ChildProcess>();

/** What the sandbox page shows `user` right now: the first event of its live stream. */
async function snapshot(endpoints: Endpoints, user: string): Promise<Snapshot> {
  const controller = new AbortController();
  const response = await fetch(`${endpoints.sandbox}/api/live?user=${user}`, { signal: controller.signal });
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no live stream');
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the live stream ended before its snapshot');
      text += Buffer.from(value).toString('utf8');
      const end = text.indexOf('\n\n');
      if (end >= 0) {
        const event = JSON.parse(text.slice(text.indexOf('data: ') + 6, end)) as { snapshot: Snapshot };
        return event.snapshot;
      }
    }
  } finally {
    controller.abort();
  }
}

async function sandboxPost(
  endpoints: Endpoints,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${endpoints.sandbox}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (answer.ok !== true) throw new Error(`${path} refused: ${JSON.stringify(answer)}`);
  return answer;
}

const actionsOf = (message: Message | undefined) =>
  message?.blocks?.find((block) => block.type === 'actions');

describe('npm start killed with SIGKILL mid-approval, then started again on the same data', () => {
  const cwd = projectDirectory();
  const dataDir = mkdtempSync(join(tmpdir(), 'greenlight-kill-data-'));
  let env: Record<string, string>;
  let endpoints: Endpoints;
  let sfn: SFNClient;
  let dynamodb: DynamoDBClient;
  const approvals: Array<{ id: string; ts: string }> = [];
  let link = '';
  let restartMs = 0;
  let survived: Record<string, number> = {};
  let restarted: StackProcess;
  let firstReadyMs = '';

  const readEndpoints = () => JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as Endpoints;
  const history = async (id: string) =>
    (await sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn(id), maxResults: 1000 })))
      .events ?? [];
  const executionArn = (id: string) => `${APPROVAL_MACHINE.replace(':stateMachine:', ':execution:')}:${id}`;

  beforeAll(async () => {
    const ports = await freePorts(SERVICES.length);
    env = Object.fromEntries(
      SERVICES.map((name, index) => [`GREENLIGHT_${name}_PORT`, String(ports[index])]),
    );
    // The REST API on "any port", both times: the mailed link names the port the first start got.
    env.GREENLIGHT_REST_PORT = '0';
    const first = await StackProcess.start(cwd, dataDir, env);
    firstReadyMs = /ready in (\d+) ms/.exec(first.output)?.[1] ?? '?';
    endpoints = readEndpoints();
    const clientConfig = {
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    sfn = new SFNClient({ ...clientConfig, endpoint: endpoints.stepfunctions });
    dynamodb = new DynamoDBClient({ ...clientConfig, endpoint: endpoints.dynamodb });

    for (const [index, title] of [
      'Kill test: click',
      'Kill test: e-mail link',
      'Kill test: modal',
    ].entries()) {
      const email = index === 1 ? ' --email' : '';
      await sandboxPost(endpoints, '/api/commands', {
        user: RITA,
        channel: CHANNEL,
        text: `/greenlight request "${title}" <@${ANA}> <@${OMAR}>${email}`,
      });
      const id = await eventually(
        async () => {
          const said = (await snapshot(endpoints, RITA)).ephemerals
            .map((ephemeral) => ephemeral.text)
            .join('\n');
          const ids = [...said.matchAll(/`(GL-[0-9A-Z]{6})`/g)].map((match) => match[1] ?? '');
          return ids.find((candidate) => !approvals.some((approval) => approval.id === candidate));
        },
        { what: `the id of "${title}"` },
      );
      const message = await eventually(
        async () =>
          (await snapshot(endpoints, ANA)).messages[CHANNEL]?.find(
            (candidate) => candidate.text.includes(id) && actionsOf(candidate) !== undefined,
          ),
        { what: `the approval message of ${id}` },
      );
      approvals.push({ id, ts: message.ts });
    }
    link = await eventually(
      async () => {
        const mail = (await snapshot(endpoints, ANA)).emails.find(
          (candidate) =>
            candidate.subject.includes(approvals[1]?.id ?? '?') &&
            candidate.to.includes('ana@greenlight.test'),
        );
        return /Approve:\s+(\S+)/.exec(mail?.text ?? '')?.[1];
      },
      { what: 'the e-mailed approve link' },
    );
    // Every workflow is waiting for its decision, its token handed out: the moment to pull the plug.
    for (const { id } of approvals) {
      await eventually(
        async () => ((await history(id)).some((event) => event.type === 'TaskSubmitted') ? true : undefined),
        {
          what: `${id} waiting for its decision`,
        },
      );
    }

    await first.kill('SIGKILL');
    const executionsDir = join(dataDir, 'stepfunctions', 'executions', 'ApprovalStateMachine');
    survived = {
      executionFiles: existsSync(executionsDir)
        ? readdirSync(executionsDir).filter((file) => file.endsWith('.json')).length
        : 0,
      slackWorkspaceBytes: existsSync(join(dataDir, 'slack', 'workspace.json'))
        ? readFileSync(join(dataDir, 'slack', 'workspace.json')).length
        : 0,
      outboxMessages: readdirSync(join(dataDir, 'outbox')).filter((file) => file.endsWith('.eml')).length,
    };

    const before = performance.now();
    restarted = await StackProcess.start(cwd, dataDir, env);
    restartMs = Math.round(performance.now() - before);
    // Same ports (the REST one found again), so the link as mailed and every endpoint still work.
    expect(readEndpoints()).toEqual(endpoints);
  }, 120_000);

  afterAll(async () => {
    sfn?.destroy();
    dynamodb?.destroy();
    for (const child of running) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(cwd, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kept the executions, the Slack workspace and the outbox, and resumed the three waiting workflows', async () => {
    expect(survived).toEqual({
      executionFiles: 3,
      slackWorkspaceBytes: expect.any(Number),
      outboxMessages: 2,
    });
    expect(survived.slackWorkspaceBytes).toBeGreaterThan(0);
    expect(restarted.output).toContain('resumed 3 running workflow execution(s)');
    for (const { id } of approvals) {
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(id) }))).status).toBe(
        'RUNNING',
      );
    }
    const reported = /ready in (\d+) ms/.exec(restarted.output)?.[1];
    process.stdout.write(
      `kill test: survived ${JSON.stringify(survived)}; restart: ${restartMs} ms from spawn to ready (${reported} ms as the stack reports it; the first start: ${firstReadyMs} ms)\n`,
    );
  });

  it('ends all three end to end: a click, the e-mailed link, and a rejection in the modal', async () => {
    const [clicked, mailed, modal] = approvals as [
      (typeof approvals)[0],
      (typeof approvals)[0],
      (typeof approvals)[0],
    ];
    const blockId = (ts: string) => async () =>
      actionsOf((await snapshot(endpoints, ANA)).messages[CHANNEL]?.find((message) => message.ts === ts))
        ?.block_id;

    // 1. Ana clicks Approve on the message posted before the kill.
    await sandboxPost(endpoints, '/api/actions', {
      user: ANA,
      surface: { kind: 'message', channel: CHANNEL, ts: clicked.ts },
      blockId: await blockId(clicked.ts)(),
      actionId: 'approval_approve',
    });

    // 2. Ana follows the link as mailed before the kill: its page, then its form.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const decided = await fetch(link.split('?')[0] ?? link, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: new URL(link).searchParams.get('token') ?? '' }).toString(),
    });
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain('Approved. Thank you.');

    // 3. Omar clicks Reject, and submits the modal with a comment.
    await sandboxPost(endpoints, '/api/actions', {
      user: OMAR,
      surface: { kind: 'message', channel: CHANNEL, ts: modal.ts },
      blockId: await blockId(modal.ts)(),
      actionId: 'approval_reject',
    });
    const view = await eventually(async () => (await snapshot(endpoints, OMAR)).modals.at(-1), {
      what: 'the reject modal',
    });
    const input = view.blocks.find((block) => block.type === 'input');
    await sandboxPost(endpoints, '/api/views/submit', {
      user: OMAR,
      viewId: view.id,
      values: {
        [input?.block_id ?? '']: { [input?.element?.action_id ?? '']: { value: 'Not after a crash' } },
      },
    });

    const expected = [
      { approval: clicked, status: 'APPROVED', decider: ANA, shown: `Approved* by <@${ANA}>` },
      { approval: mailed, status: 'APPROVED', decider: ANA, shown: `Approved* by <@${ANA}>` },
      { approval: modal, status: 'REJECTED', decider: OMAR, shown: `Rejected* by <@${OMAR}>` },
    ];
    for (const { approval, status, decider, shown } of expected) {
      const execution = await eventually(
        async () => {
          const described = await sfn.send(
            new DescribeExecutionCommand({ executionArn: executionArn(approval.id) }),
          );
          return described.status === 'RUNNING' ? undefined : described;
        },
        { what: `${approval.id} to finish`, timeoutMs: 30_000 },
      );
      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(execution.output ?? '{}')).toEqual(
        expect.objectContaining({ id: approval.id, status, decider }),
      );

      // Resumed, not replayed: the request was delivered (token stored, message posted) once.
      const scheduled = (await history(approval.id)).filter(
        (event) =>
          event.type === 'TaskScheduled' &&
          event.taskScheduledEventDetails?.resource === 'invoke.waitForTaskToken',
      );
      expect(scheduled).toHaveLength(1);
      // The message posted before the kill is redrawn: no buttons, who decided.
      const messages = (await snapshot(endpoints, RITA)).messages[CHANNEL] ?? [];
      expect(
        messages.filter(
          (message) =>
            JSON.stringify(message).includes(approval.id) &&
            (message.thread_ts === undefined || message.thread_ts === message.ts),
        ),
      ).toHaveLength(1);
      const redrawn = messages.find((message) => message.ts === approval.ts);
      expect(actionsOf(redrawn)).toBeUndefined();
      expect(JSON.stringify(redrawn?.blocks)).toContain(shown);
      // The requester is told once, in the request's thread.
      const told = messages.filter(
        (message) =>
          message.thread_ts === approval.ts &&
          message.ts !== approval.ts &&
          message.text.includes(`<@${RITA}>`),
      );
      expect(told).toHaveLength(1);
      // The approvers' inbox entries are gone.
      const inbox = await dynamodb.send(
        new ScanCommand({
          TableName: 'ApprovalsTable',
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': { S: `${approval.id}#` } },
        }),
      );
      expect(inbox.Items ?? []).toEqual([]);
      // The decision event was put once, after the restart, by the announce code (claimed on the record).
      const logged = readFileSync(join(dataDir, 'eventbridge', 'events.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.includes(approval.id) && line.includes('Greenlight Approval Decided'));
      expect(logged).toHaveLength(1);
    }
  }, 90_000);
});
