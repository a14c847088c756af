import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { buttonsOf } from '../../helpers/approval-requests';
import { gatesTableClient } from '../../helpers/gates';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, useTestStack } from '../../helpers/people';

// The sweep takes over at once here, so a failed call back is retried as soon as the test sweeps.
const useStack = useTestStack({ environment: { SWEEP_GRACE_SECONDS: '0' }, schedules: { enabled: false } });

const REQUESTED = readFileSync('tests/fixtures/github/deployment-protection-rule-requested.json', 'utf8');
const PING = readFileSync('tests/fixtures/github/ping.json', 'utf8');

/** A delivery as GitHub sends it: the raw JSON, signed with the App's webhook secret. */
function deliver(body: string, event: string, options: { delivery?: string; secret?: string } = {}) {
  const secret = options.secret ?? useStack().endpoints.githubWebhookSecret;
  return fetch(`${useStack().endpoints.rest}/github/webhook`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'GitHub-Hookshot/5f9c8a1',
      'X-GitHub-Event': event,
      'X-GitHub-Delivery': options.delivery ?? randomUUID(),
      'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
  }));
}

/** The same deployment for another run, so each test has its own. */
function requestedFor(runId: number, sha = '9fceb02d0ae598e95dc970b74767f19372d61af8') {
  const payload = JSON.parse(REQUESTED) as Record<string, unknown> & { deployment: Record<string, unknown> };
  payload.deployment_callback_url = `https://api.github.com/repos/acme/app/actions/runs/${runId}/deployment_protection_rule`;
  payload.deployment.sha = sha;
  return JSON.stringify(payload);
}

function approvalMessage(id: string) {
  return eventually(
    () =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find((message) => message.text.includes(id) && buttonsOf(message).length > 0),
    { what: `the approval message of ${id}` },
  );
}

const reviewsOf = (runId: number) =>
  useStack()
    .stack.github.reviews()
    .filter((review) => review.runId === runId);

async function record(id: string) {
  const { Item } = await gatesTableClient(useStack()).send(
    new GetCommand({ TableName: 'ApprovalsTable', Key: { pk: id }, ConsistentRead: true }),
  );
  return Item ?? {};
}

describe('POST /github/webhook', () => {
  it('answers a signed ping', async () => {
    expect(await deliver(PING, 'ping')).toEqual({
      status: 200,
      body: { ok: true, zen: 'Keep it logically awesome.' },
    });
  });

  it('refuses a delivery signed with another secret, or not signed, before reading it', async () => {
    const forged = await deliver(requestedFor(1), 'deployment_protection_rule', { secret: 'not-the-secret' });
    const unsigned = await fetch(`${useStack().endpoints.rest}/github/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'ping' },
      body: PING,
    });
    expect(forged).toMatchObject({ status: 401, body: { error: 'bad-signature' } });
    expect(unsigned.status).toBe(401);
  });

  it('turns a protection rule into a Slack request, and the click approves the run on GitHub with a link to Slack', async () => {
    const created = await deliver(requestedFor(1001), 'deployment_protection_rule');
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const message = await approvalMessage(id);
    const shown = JSON.stringify(message.blocks);
    expect(message.text).toContain('Deploy acme/app to production');
    expect(shown).toContain('GitHub acme/app (production)');
    expect(shown).toContain('9fceb02d0ae598e95dc970b74767f19372d61af8');
    expect(shown).toContain('https://github.com/acme/app/actions/runs/1001');
    expect(shown).toContain('octo-dev');

    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    const [review] = await eventually(() => (reviewsOf(1001).length > 0 ? reviewsOf(1001) : undefined));
    expect(review).toEqual({
      owner: 'acme',
      repo: 'app',
      runId: 1001,
      body: {
        environment_name: 'production',
        state: 'approved',
        comment: expect.stringContaining(
          `https://slack.com/archives/${CHANNEL}/p${message.ts.replace('.', '')}`,
        ),
      },
    });
    const tokens = useStack()
      .stack.github.calls()
      .filter((call) => call.path === '/app/installations/31337/access_tokens');
    expect(tokens.map((call) => call.status)).toContain(201);
  });

  it('takes the policy the policy file maps the repository and environment to, quorum included', async () => {
    // greenlight.policies.yaml: acme/* to production-eu is decided under prod-deploy (two must approve).
    const payload = JSON.parse(requestedFor(1002)) as Record<string, unknown> & {
      deployment: Record<string, unknown>;
    };
    payload.environment = 'production-eu';
    payload.deployment.environment = 'production-eu';
    const created = await deliver(JSON.stringify(payload), 'deployment_protection_rule');
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const message = await approvalMessage(id);
    expect(await record(id)).toMatchObject({ policy: 'prod-deploy', need: 2 });

    const click = (user: string) =>
      useStack().clickButton({
        channel: CHANNEL,
        messageTs: message.ts,
        actionId: 'approval_approve',
        value: id,
        user,
      });
    await click(ANA);
    expect(await record(id)).toMatchObject({ status: 'PENDING', remaining: 1 });
    await click(OMAR);
    const [review] = await eventually(() => (reviewsOf(1002).length > 0 ? reviewsOf(1002) : undefined));
    expect(review?.body).toMatchObject({ environment_name: 'production-eu', state: 'approved' });
    expect(reviewsOf(1002)).toHaveLength(1);
  });

  it('makes one request of a redelivered event (the same X-GitHub-Delivery)', async () => {
    const delivery = randomUUID();
    const body = requestedFor(2002);
    const first = await deliver(body, 'deployment_protection_rule', { delivery });
    const again = await deliver(body, 'deployment_protection_rule', { delivery });
    expect(first.status).toBe(201);
    expect(again).toEqual({ status: 200, body: { id: first.body.id, duplicate: true } });
    await approvalMessage(String(first.body.id));
    const requests = useStack()
      .stack.slack.messages(CHANNEL)
      .filter((message) => JSON.stringify(message.blocks).includes('actions/runs/2002'));
    expect(requests).toHaveLength(1);
  });

  it('shows a failed call back on the request and calls again at the next sweep', async () => {
    const created = await deliver(requestedFor(3003), 'deployment_protection_rule');
    const id = String(created.body.id);
    const message = await approvalMessage(id);
    // More failures than the adapter's own retries: the outcome's announcement cannot reach GitHub.
    useStack().stack.github.failNext(3);
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    const problems = await eventually(async () => {
      const found = (await record(id)).deliveryProblems as string[] | undefined;
      return found?.some((problem) => problem.includes('GitHub was not told')) ? found : undefined;
    });
    expect(problems.join(' ')).toContain('502');
    expect(reviewsOf(3003)).toEqual([]);
    expect((await record(id)).unsettled).toBe('open');

    await useStack().stack.runtime.invoke('CloseOutFunction', { task: 'sweep' });
    expect(reviewsOf(3003)).toEqual([
      expect.objectContaining({ body: expect.objectContaining({ state: 'approved' }) }),
    ]);
    expect((await record(id)).unsettled).toBeUndefined();
  });

  it('ignores other events and actions, and names what a malformed rule lacks', async () => {
    const other = await deliver(JSON.stringify({ action: 'created' }), 'deployment');
    const malformed = await deliver(
      JSON.stringify({ action: 'requested', environment: 'production' }),
      'deployment_protection_rule',
    );
    expect(other.status).toBe(202);
    expect(malformed).toMatchObject({
      status: 400,
      body: { error: 'invalid-payload', message: expect.stringContaining('installation.id') },
    });
  });
});
