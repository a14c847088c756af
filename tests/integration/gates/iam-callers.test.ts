import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { buttonsOf } from '../../helpers/approval-requests';
import { callApi, callApiSigned } from '../../helpers/gates';
import { ANA, APPROVALS_CHANNEL as CHANNEL, useTestStack } from '../../helpers/people';

const useStack = useTestStack();

const body = { title: 'Deploy from CodeBuild', approvers: [ANA], channel: CHANNEL, timeout: 600 };

describe('the /iam/ routes (API Gateway AWS_IAM authorization)', () => {
  it('serve a SigV4-signed caller, named by its IAM identity, and its reads', async () => {
    const created = await callApiSigned(useStack(), 'POST', '/iam/approvals', { body });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const message = await eventually(() =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find((candidate) => candidate.text.includes(id) && buttonsOf(candidate).length > 0),
    );
    expect(JSON.stringify(message.blocks)).toContain('user/local (IAM)');
    const read = await callApiSigned(useStack(), 'GET', `/iam/approvals/${id}?wait=0`);
    expect(read).toMatchObject({ status: 200, body: { id, status: 'PENDING' } });
  });

  it('refuse an unsigned request, a wrong secret and an altered body with 403, before the function runs', async () => {
    const unsigned = await callApi(useStack(), 'POST', '/iam/approvals', { body });
    const wrongSecret = await callApiSigned(useStack(), 'POST', '/iam/approvals', {
      body,
      credentials: { accessKeyId: 'local', secretAccessKey: 'not-the-secret' },
    });
    const signed = await callApiSigned(useStack(), 'GET', '/iam/approvals/GL-000000');
    const altered = await fetch(`${useStack().endpoints.rest}/iam/approvals`, {
      method: 'POST',
      headers: (await callApiSigned(useStack(), 'POST', '/iam/approvals', { body })).sent.headers,
      body: JSON.stringify({ ...body, title: 'Something else' }),
    });
    expect(unsigned).toMatchObject({ status: 403, body: { message: 'Missing Authentication Token' } });
    expect(wrongSecret).toMatchObject({
      status: 403,
      body: { message: expect.stringContaining('signature') },
    });
    expect(altered.status).toBe(403);
    // A signed caller reaches the function, which knows no such request.
    expect(signed).toMatchObject({ status: 404, body: { error: 'not-found' } });
  });

  it('do not take an API key instead of a signature', async () => {
    const answer = await callApi(useStack(), 'GET', '/iam/approvals/GL-000000', {
      headers: { Authorization: `Bearer gl_aaaaaaaaaaaa_${'A'.repeat(43)}` },
    });
    expect(answer.status).toBe(403);
  });
});
