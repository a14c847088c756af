import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { verifyReceipt } from '../../../app/gates/receipts';
import { revokeKeys } from '../../../scripts/api-key';
import { buttonsOf } from '../../helpers/approval-requests';
import { callApi, gatesTableClient, makeApiKey } from '../../helpers/gates';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, RITA, useTestStack } from '../../helpers/people';

const useStack = useTestStack();
const slack = () => useStack().stack.slack;

const SHA = '3f2a9c0d1e4b5a6978877665544332211ffeeddc';

const gate = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  approvers: [ANA],
  channel: CHANNEL,
  timeout: '1h',
  artifact: {
    kind: 'git-commit',
    ref: 'refs/heads/main',
    digest: SHA,
    url: 'https://github.com/acme/app/commit/3f2a9c0',
  },
  ...extra,
});

function approvalMessage(id: string) {
  return eventually(
    () =>
      slack()
        .messages(CHANNEL)
        .find((message) => message.text.includes(id) && buttonsOf(message).length > 0),
    { what: `the approval message of ${id}` },
  );
}

function executionOf(id: string) {
  return useStack()
    .stack.stepFunctions.executions()
    .filter((execution) => execution.stateMachineName === 'ApprovalStateMachine' && execution.name === id);
}

function click(id: string, messageTs: string, actionId: string, user: string) {
  return useStack().clickButton({ channel: CHANNEL, messageTs, actionId, value: id, user });
}

describe('POST /approvals → Slack → click → GET ?wait with a receipt', () => {
  it('posts the request in Slack naming the calling system and the artifact, and the decision comes back signed', async () => {
    const key = await makeApiKey(useStack(), 'deploy-bot');
    const created = await callApi(useStack(), 'POST', '/approvals', {
      key,
      body: gate('Deploy v2 to production'),
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^GL-/),
      status: 'PENDING',
      slackUrl: expect.stringContaining(CHANNEL),
    });

    const message = await approvalMessage(id);
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain('deploy-bot (API key)');
    expect(shown).toContain(SHA);
    expect(shown).toContain('git-commit refs/heads/main');
    expect(shown).not.toContain('gl_');

    // The long poll starts before the click and returns with the decision.
    const waiting = callApi(useStack(), 'GET', `/approvals/${id}?wait=25`, { key });
    await click(id, message.ts, 'approval_approve', ANA);
    const decided = await waiting;
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ id, status: 'APPROVED', decider: ANA, artifact: { digest: SHA } });
    expect(decided.body.trail).toEqual([
      expect.objectContaining({ event: 'requested' }),
      expect.objectContaining({ event: 'approved', by: ANA }),
    ]);

    const keys = await callApi(useStack(), 'GET', '/approvals/keys');
    expect(keys.status).toBe(200);
    const jwks = keys.body as { keys: Array<Record<string, string>> };
    const receipt = String(decided.body.receipt);
    const verified = verifyReceipt(receipt, jwks, { digest: SHA });
    expect(verified).toMatchObject({
      ok: true,
      payload: {
        sub: id,
        outcome: 'APPROVED',
        artifact: { digest: SHA },
        deciders: [{ id: ANA, decision: 'approved' }],
      },
    });
    expect(verifyReceipt(receipt, jwks, { digest: `${SHA.slice(0, -1)}0` })).toMatchObject({ ok: false });
    const done = await eventually(() => executionOf(id).find((execution) => execution.status !== 'RUNNING'));
    expect(done.status).toBe('SUCCEEDED');
  });
});

describe('API keys', () => {
  it('refuses a missing, malformed, unknown or revoked key with 401 and a precise error, creating nothing', async () => {
    const key = await makeApiKey(useStack(), 'soon-revoked');
    const before = slack().messages(CHANNEL).length;
    const missing = await callApi(useStack(), 'POST', '/approvals', { body: gate('No key') });
    const malformed = await callApi(useStack(), 'POST', '/approvals', {
      key: 'not-a-key',
      body: gate('Bad key'),
    });
    const unknown = await callApi(useStack(), 'POST', '/approvals', {
      key: `gl_aaaaaaaaaaaa_${'A'.repeat(43)}`,
      body: gate('Unknown key'),
    });
    const wrongSecret = await callApi(useStack(), 'POST', '/approvals', {
      key: `${key.slice(0, 16)}${'B'.repeat(43)}`,
      body: gate('Wrong secret'),
    });
    await revokeKeys(gatesTableClient(useStack()), 'GatesTable', 'soon-revoked');
    const revoked = await callApi(useStack(), 'POST', '/approvals', { key, body: gate('Revoked') });

    expect(missing).toMatchObject({
      status: 401,
      body: { error: 'unauthorized', message: expect.stringContaining('Missing API key') },
    });
    expect(malformed).toMatchObject({
      status: 401,
      body: { message: expect.stringContaining('Malformed API key') },
    });
    expect(unknown).toMatchObject({ status: 401, body: { message: 'Unknown API key.' } });
    expect(wrongSecret).toMatchObject({ status: 401, body: { message: 'Unknown API key.' } });
    expect(revoked).toMatchObject({
      status: 401,
      body: { message: expect.stringContaining('"soon-revoked" was revoked') },
    });
    expect(slack().messages(CHANNEL)).toHaveLength(before);
  });
});

describe('bad requests', () => {
  it('answers 400 with every field’s error from the domain’s checks', async () => {
    const key = await makeApiKey(useStack(), 'sloppy');
    const answer = await callApi(useStack(), 'POST', '/approvals', {
      key,
      body: { title: '', approvers: 'ana', timeout: 'soon', artifact: { kind: 'tarball', digest: '' } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid-request');
    const fields = (answer.body.fields as Array<{ field: string; problem: string; message: string }>).map(
      ({ field, problem }) => `${field}:${problem}`,
    );
    expect(fields).toEqual([
      'title:missing',
      'approvers:not-people',
      'timeout:not-whole-seconds',
      'artifact.kind:unknown-kind',
      'artifact.digest:invalid',
    ]);
  });

  it('answers 400 to a body that is not JSON, and 413 to one too large', async () => {
    const key = await makeApiKey(useStack(), 'noisy');
    const notJson = await callApi(useStack(), 'POST', '/approvals', {
      key,
      rawBody: '{"title": ',
      headers: { 'Content-Type': 'application/json' },
    });
    const tooLarge = await callApi(useStack(), 'POST', '/approvals', {
      key,
      body: gate('Large', { details: 'x'.repeat(20_000) }),
    });
    expect(notJson).toMatchObject({ status: 400, body: { error: 'invalid-json' } });
    expect(tooLarge).toMatchObject({ status: 413, body: { error: 'too-large' } });
  });
});

describe('Idempotency-Key', () => {
  it('returns the same request to a retry, and starts one workflow', async () => {
    const key = await makeApiKey(useStack(), 'retrying');
    const headers = { 'Idempotency-Key': 'run-42-attempt' };
    const [first, second] = await Promise.all([
      callApi(useStack(), 'POST', '/approvals', { key, headers, body: gate('Retried deploy') }),
      callApi(useStack(), 'POST', '/approvals', { key, headers, body: gate('Retried deploy') }),
    ]);
    const third = await callApi(useStack(), 'POST', '/approvals', {
      key,
      headers,
      body: gate('Retried deploy'),
    });
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    expect(new Set([first.body.id, second.body.id, third.body.id]).size).toBe(1);
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    await approvalMessage(String(first.body.id));
    expect(executionOf(String(first.body.id))).toHaveLength(1);
  });

  it('refuses the same key for a different request with 422', async () => {
    const key = await makeApiKey(useStack(), 'confused');
    const headers = { 'Idempotency-Key': 'reused' };
    const first = await callApi(useStack(), 'POST', '/approvals', { key, headers, body: gate('One thing') });
    const other = await callApi(useStack(), 'POST', '/approvals', {
      key,
      headers,
      body: gate('Another thing'),
    });
    expect(first.status).toBe(201);
    expect(other).toMatchObject({ status: 422, body: { error: 'idempotency-key-reused' } });
  });
});

describe('concurrent gates', () => {
  it('keeps two runs apart: each reads only its own request, and deciding one leaves the other pending', async () => {
    const [keyA, keyB] = await Promise.all([
      makeApiKey(useStack(), 'run-a'),
      makeApiKey(useStack(), 'run-b'),
    ]);
    const [a, b] = await Promise.all([
      callApi(useStack(), 'POST', '/approvals', {
        key: keyA,
        body: gate('Deploy build 1', { approvers: [ANA, OMAR] }),
      }),
      callApi(useStack(), 'POST', '/approvals', {
        key: keyB,
        body: gate('Deploy build 2', { approvers: [ANA, OMAR] }),
      }),
    ]);
    const idA = String(a.body.id);
    const idB = String(b.body.id);
    expect(idA).not.toBe(idB);
    const messageB = await approvalMessage(idB);
    await approvalMessage(idA);

    const waitingA = callApi(useStack(), 'GET', `/approvals/${idA}?wait=3`, { key: keyA });
    await click(idB, messageB.ts, 'approval_approve', OMAR);
    const [readA, readB] = await Promise.all([
      waitingA,
      callApi(useStack(), 'GET', `/approvals/${idB}?wait=25`, { key: keyB }),
    ]);
    expect(readA.body).toMatchObject({ id: idA, status: 'PENDING' });
    expect(readA.body.receipt).toBeUndefined();
    expect(readB.body).toMatchObject({ id: idB, status: 'APPROVED', decider: OMAR });
    expect(await callApi(useStack(), 'GET', `/approvals/${idA}`, { key: keyB })).toMatchObject({
      status: 404,
      body: { error: 'not-found' },
    });
  });
});

describe('POST /approvals/{id}/cancel', () => {
  it('withdraws the request, ends its workflow and redraws the message; a second cancel is 409', async () => {
    const key = await makeApiKey(useStack(), 'canceller');
    const created = await callApi(useStack(), 'POST', '/approvals', {
      key,
      body: gate('Deploy to be withdrawn', { requester: RITA }),
    });
    const id = String(created.body.id);
    const message = await approvalMessage(id);

    const cancelled = await callApi(useStack(), 'POST', `/approvals/${id}/cancel`, { key });
    expect(cancelled).toMatchObject({ status: 200, body: { id, status: 'CANCELLED' } });
    const done = await eventually(() => executionOf(id).find((execution) => execution.status !== 'RUNNING'));
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({
      status: 'CANCELLED',
      decider: 'canceller (API key)',
    });
    const redrawn = await eventually(() => {
      const current = slack()
        .messages(CHANNEL)
        .find((candidate) => candidate.ts === message.ts);
      return current && buttonsOf(current).length === 0 ? current : undefined;
    });
    expect(JSON.stringify(redrawn.blocks)).toContain('Cancelled');
    expect(await callApi(useStack(), 'POST', `/approvals/${id}/cancel`, { key })).toMatchObject({
      status: 409,
      body: { error: 'already-closed', status: 'CANCELLED' },
    });
  });
});

describe('a gate that names a policy', () => {
  it('is decided by the policy’s quorum, and its receipt binds every approval', async () => {
    const key = await makeApiKey(useStack(), 'release-bot');
    // prod-deploy (greenlight.policies.yaml): Ana, Omar and @release-managers; two must approve.
    const body = gate('Release 7.2', { policy: 'prod-deploy' });
    delete (body as Record<string, unknown>).approvers;
    const created = await callApi(useStack(), 'POST', '/approvals', { key, body });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const message = await approvalMessage(id);

    await click(id, message.ts, 'approval_approve', ANA);
    const afterOne = await callApi(useStack(), 'GET', `/approvals/${id}`, { key });
    expect(afterOne.body).toMatchObject({
      status: 'PENDING',
      policy: 'prod-deploy',
      tally: { approvals: 1, required: 2, approved: [ANA] },
    });
    expect(afterOne.body.approvers).toEqual(expect.arrayContaining([ANA, OMAR]));

    const waiting = callApi(useStack(), 'GET', `/approvals/${id}?wait=25`, { key });
    await click(id, message.ts, 'approval_approve', OMAR);
    const decided = await waiting;
    expect(decided.body).toMatchObject({
      status: 'APPROVED',
      tally: { approvals: 2, rejections: 0, required: 2, approved: [ANA, OMAR] },
    });
    expect((decided.body.trail as Array<{ event: string }>).map((entry) => entry.event)).toEqual([
      'requested',
      'approved',
      'approved',
    ]);
    const jwks = (await callApi(useStack(), 'GET', '/approvals/keys')).body as {
      keys: Array<Record<string, string>>;
    };
    expect(verifyReceipt(String(decided.body.receipt), jwks, { digest: SHA })).toMatchObject({
      ok: true,
      payload: {
        outcome: 'APPROVED',
        policy: 'prod-deploy',
        deciders: [
          { id: ANA, decision: 'approved' },
          { id: OMAR, decision: 'approved' },
        ],
      },
    });
  });

  it('is refused with 400 when the policy does not exist', async () => {
    const key = await makeApiKey(useStack(), 'policy-typo');
    const unknown = await callApi(useStack(), 'POST', '/approvals', {
      key,
      body: gate('Release 7.3', { policy: 'prod-deploi' }),
    });
    expect(unknown).toMatchObject({
      status: 400,
      body: { fields: [expect.objectContaining({ field: 'policy', problem: 'unknown' })] },
    });
    expect(String((unknown.body.fields as Array<{ message: string }>)[0]?.message)).toContain('prod-deploy');
  });
});
