import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { signToken } from '../../../app/shared/signed-token';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, RITA, useTestStack } from '../../helpers/people';

const useStack = useTestStack();

/** Requests with --email and returns the id and the links each approver was sent. */
async function requestByEmail(title: string, options = '') {
  const answer = await useStack().slashCommand(`request "${title}" <@${ANA}> <@${OMAR}> --email ${options}`, {
    user: RITA,
    channel: CHANNEL,
  });
  const id = /`(GL-[0-9A-Z]{6})`/.exec((answer.json() as { text: string }).text)?.[1];
  if (!id) throw new Error('no id');
  const mails = await eventually(() => {
    const found = useStack()
      .stack.ses.outbox()
      .filter((mail) => mail.subject.includes(id));
    return found.length === 2 ? found : undefined;
  });
  const linksFor = (address: string) => {
    const mail = mails.find((candidate) => candidate.to.includes(address));
    const [approve, reject] = [...(mail?.text ?? '').matchAll(/(?:Approve|Reject):\s+(\S+)/g)].map(
      (match) => match[1] ?? '',
    );
    return { approve: approve ?? '', reject: reject ?? '', mail };
  };
  return { id, ana: linksFor('ana@greenlight.test'), omar: linksFor('omar@greenlight.test') };
}

async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, html: await response.text(), headers: response.headers };
}

/** Submits the confirmation page's form as a browser would. */
async function post(url: string, fields: Record<string, string>) {
  const response = await fetch(url.split('?')[0] ?? url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, html: await response.text() };
}

const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

function outcome(id: string) {
  return eventually(() => {
    const execution = useStack()
      .stack.stepFunctions.executions()
      .find((candidate) => candidate.name === id && candidate.status !== 'RUNNING');
    return execution ? (JSON.parse(execution.output ?? '{}') as Record<string, unknown>) : undefined;
  });
}

describe('e-mailed approve/reject links', () => {
  it('sends each approver an HTML and text e-mail with their own signed links, and no secret', async () => {
    const { id, ana, omar } = await requestByEmail('Renew the TLS certificate');
    expect(ana.mail?.html).toContain('Renew the TLS certificate');
    expect(ana.approve).toMatch(/\/approvals\/decision\?token=/);
    expect(tokenOf(ana.approve)).not.toBe(tokenOf(omar.approve));
    for (const secret of Object.values(useStack().stack.secrets)) expect(ana.mail?.raw).not.toContain(secret);
    expect(
      useStack()
        .stack.stepFunctions.executions()
        .find((candidate) => candidate.name === id)?.status,
    ).toBe('RUNNING');
  });

  it('shows a confirmation page on GET that decides nothing, and decides on POST', async () => {
    const { id, ana } = await requestByEmail('Merge the release branch');
    const page = await get(ana.approve);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Approve this request?');
    expect(page.html).toContain('<form method="post"');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    // A mail scanner fetching the link twice changes nothing.
    await get(ana.approve);
    expect(
      useStack()
        .stack.stepFunctions.executions()
        .find((candidate) => candidate.name === id)?.status,
    ).toBe('RUNNING');

    const decided = await post(ana.approve, { token: tokenOf(ana.approve) });
    expect(decided.status).toBe(200);
    expect(decided.html).toContain('Approved. Thank you.');
    expect(await outcome(id)).toEqual(
      expect.objectContaining({ status: 'APPROVED', decider: ANA, via: 'email' }),
    );
  });

  it('answers a replayed link with the closed page and changes nothing', async () => {
    const { id, ana, omar } = await requestByEmail('Replay me');
    await post(ana.approve, { token: tokenOf(ana.approve) });
    await outcome(id);
    const replay = await post(ana.approve, { token: tokenOf(ana.approve) });
    expect(replay.status).toBe(409);
    expect(replay.html).toContain('already closed');
    const late = await post(omar.reject, { token: tokenOf(omar.reject) });
    expect(late.status).toBe(409);
    expect(late.html).toContain('It was approved by Ana Approver');
    expect((await get(omar.reject)).status).toBe(409);
  });

  it('rejects through a reject link, with the comment typed on the page', async () => {
    const { id, omar } = await requestByEmail('Reject by mail');
    const page = await get(omar.reject);
    expect(page.html).toContain('<textarea id="comment" name="comment"');
    const decided = await post(omar.reject, { token: tokenOf(omar.reject), comment: 'Wrong window' });
    expect(decided.status).toBe(200);
    expect(await outcome(id)).toEqual(
      expect.objectContaining({ status: 'REJECTED', decider: OMAR, comment: 'Wrong window' }),
    );
  });

  it('refuses a tampered link with 403 and an expired one with 410', async () => {
    const { id, ana } = await requestByEmail('Guard the links');
    const token = tokenOf(ana.approve);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await get(ana.approve.replace(token, tampered))).status).toBe(403);
    expect((await post(ana.approve, { token: tampered })).status).toBe(403);
    // A link for Omar's decision cannot be made out of Ana's by editing the claims.
    const [payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...claims, sub: OMAR })).toString('base64url')}.${signature}`;
    expect((await post(ana.approve, { token: forged })).status).toBe(403);

    const expired = signToken(useStack().stack.secrets.linkSigningKey, {
      aud: 'approval-link',
      exp: Math.floor(Date.now() / 1000) - 1,
      aid: id,
      d: 'approve',
      sub: ANA,
    });
    const gone = await post(ana.approve, { token: expired });
    expect(gone.status).toBe(410);
    expect(gone.html).toContain('This link has expired');
    expect(
      useStack()
        .stack.stepFunctions.executions()
        .find((candidate) => candidate.name === id)?.status,
    ).toBe('RUNNING');
  });

  it('answers a form that is not a form with 415 and an oversized one with 413', async () => {
    const { ana } = await requestByEmail('Odd posts');
    const url = ana.approve.split('?')[0] ?? '';
    const json = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    const huge = await post(ana.approve, { token: tokenOf(ana.approve), comment: 'x'.repeat(9000) });
    expect(huge.status).toBe(413);
  });
});

describe('e-mailed links under a quorum', () => {
  it('count each approver once toward the quorum, like a click, and the second approval decides', async () => {
    const { id, ana, omar } = await requestByEmail('Rotate the signing keys', '--need 2');

    const first = await post(ana.approve, { token: tokenOf(ana.approve) });
    const again = await post(ana.approve, { token: tokenOf(ana.approve) });

    expect(first.status).toBe(200);
    expect(first.html).toContain('Your approval is counted: 1 of 2');
    const message = await eventually(() =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find(
          (candidate) =>
            candidate.text.includes(id) && JSON.stringify(candidate.blocks).includes('Approved 1 of 2'),
        ),
    );
    expect(JSON.stringify(message.blocks)).toContain(`✓ <@${ANA}> by e-mail`);
    expect(again.status).toBe(409);
    expect(again.html).toContain('You already approved this request');
    expect(
      useStack()
        .stack.stepFunctions.executions()
        .find((candidate) => candidate.name === id)?.status,
    ).toBe('RUNNING');

    const second = await post(omar.approve, { token: tokenOf(omar.approve) });

    expect(second.status).toBe(200);
    expect(await outcome(id)).toEqual(
      expect.objectContaining({
        status: 'APPROVED',
        decider: OMAR,
        via: 'email',
        tally: { need: 2, approved: [ANA, OMAR], rejected: [] },
      }),
    );
  });
});
