import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { buttonsOf, requestApproval } from '../../helpers/approval-requests';
import { BridgeClient } from '../../helpers/bridge-client';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, RITA, SAM, useTestStack } from '../../helpers/people';

const useStack = useTestStack();

const slack = () => useStack().stack.slack;
const sfn = () => useStack().stack.stepFunctions;

/** `/greenlight request …` as Rita (or `user`); returns the id and the approval message once posted. */
const request = (text: string, user = RITA) => requestApproval(useStack(), text, user);

function execution(id: string) {
  return sfn()
    .executions()
    .find((candidate) => candidate.stateMachineName === 'ApprovalStateMachine' && candidate.name === id);
}

async function finished(id: string) {
  return eventually(
    () => {
      const found = execution(id);
      return found && found.status !== 'RUNNING' ? found : undefined;
    },
    { what: `the approval workflow ${id} to finish` },
  );
}

function click(id: string, messageTs: string, actionId: string, user: string) {
  return useStack().clickButton({ channel: CHANNEL, messageTs, actionId, value: id, user });
}

function currentMessage(ts: string) {
  return slack()
    .messages(CHANNEL)
    .find((candidate) => candidate.ts === ts);
}

function lastEphemeralFor(user: string) {
  return slack()
    .ephemerals()
    .filter((ephemeral) => ephemeral.user === user)
    .at(-1);
}

describe('request → approve', () => {
  it('posts the request with buttons, and Approve ends the workflow, updates the message, tells the requester and emits the event', async () => {
    const { id, reply, message } = await request(`"Deploy v2 to prod" <@${ANA}> <@${OMAR}> --timeout 4h`);
    expect(reply.text).toContain(`<@${ANA}>`);
    expect(buttonsOf(message).map((button) => [button.action_id, button.value])).toEqual([
      ['approval_approve', id],
      ['approval_reject', id],
    ]);

    const clicked = await click(id, message.ts, 'approval_approve', ANA);
    expect(clicked.status).toBe(200);

    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ id, status: 'APPROVED', decider: ANA, requester: RITA, via: 'slack' }),
    );
    const updated = currentMessage(message.ts);
    expect(buttonsOf(updated)).toEqual([]);
    expect(JSON.stringify(updated?.blocks)).toContain(`Approved* by <@${ANA}>`);
    const thread = await eventually(() => {
      const replies = slack().thread(CHANNEL, message.ts).slice(1);
      return replies.length > 0 ? replies : undefined;
    });
    expect(thread.map((entry) => entry.text)).toEqual([expect.stringContaining(`<@${RITA}> your request`)]);
    const events = useStack()
      .stack.eventBridge.events()
      .filter((entry) => entry.DetailType === 'Greenlight Approval Decided' && entry.Detail?.includes(id));
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(JSON.parse(event?.Detail ?? '{}')).toEqual(
      expect.objectContaining({
        id,
        status: 'APPROVED',
        requester: RITA,
        decider: ANA,
        decidedAt: expect.any(String),
        requestedAt: expect.any(String),
      }),
    );
    expect(event?.Source).toBe('greenlight');
  });

  it('lets exactly one of two clicks win; the second is told who decided', async () => {
    const { id, message } = await request(`"Rotate keys" <@${ANA}> <@${OMAR}>`);
    const [first, second] = await Promise.all([
      click(id, message.ts, 'approval_approve', ANA),
      click(id, message.ts, 'approval_approve', OMAR),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const done = await finished(id);
    const winner = (JSON.parse(done.output ?? '{}') as { decider: string }).decider;
    const loser = winner === ANA ? OMAR : ANA;
    const told = await eventually(() => lastEphemeralFor(loser));
    expect(told.text).toContain(`\`${id}\` is already closed`);
    expect(told.text).toContain(`by <@${winner}>`);
  });

  it('refuses a click by someone who is not an approver, and by the requester, changing nothing', async () => {
    const { id, message } = await request(`"Open the firewall" <@${ANA}>`);
    await click(id, message.ts, 'approval_approve', SAM);
    expect((await eventually(() => lastEphemeralFor(SAM))).text).toContain(
      `You are not an approver of \`${id}\``,
    );
    await click(id, message.ts, 'approval_approve', RITA);
    expect((await eventually(() => lastEphemeralFor(RITA))).text).toMatch(
      /not an approver|someone else has to decide/,
    );
    expect(execution(id)?.status).toBe('RUNNING');
    expect(buttonsOf(currentMessage(message.ts))).toHaveLength(2);
  });
});

describe('a button whose value is not an approval id', () => {
  it('is acknowledged, decides nothing and tells the clicker', async () => {
    const { message } = await request(`"Odd button" <@${ANA}>`);
    const answer = await click('not-an-id', message.ts, 'approval_approve', ANA);
    expect(answer.status).toBe(200);
    expect((await eventually(() => lastEphemeralFor(ANA))).text).toBe(
      ':warning: That button does not name a request.',
    );
  });
});

describe('live clients', () => {
  it('hear every outcome over the WebSocket bridge, without any secret', async () => {
    const client = await BridgeClient.connect(useStack(), 'dashboard');
    try {
      const { id, message } = await request(`"Watched live" <@${ANA}>`);
      await click(id, message.ts, 'approval_approve', ANA);
      const frame = await client.next(
        (candidate) => candidate.type === 'approval' && candidate.id === id,
        'the approval frame',
      );
      expect(frame).toEqual({
        type: 'approval',
        id,
        status: 'APPROVED',
        title: 'Watched live',
        requester: RITA,
        decider: ANA,
        at: expect.any(String),
      });
    } finally {
      await client.close();
    }
  });
});

describe('reject', () => {
  it('asks for confirmation in a modal, and the confirmed rejection carries the comment to the requester', async () => {
    const { id, message } = await request(`"Buy 40 GPUs" <@${ANA}>`);
    await click(id, message.ts, 'approval_reject', ANA);
    const modal = await eventually(() =>
      slack()
        .views()
        .find(
          (view) =>
            view.view.callback_id === 'approval_reject_confirm' && view.view.private_metadata.includes(id),
        ),
    );
    expect(execution(id)?.status).toBe('RUNNING');

    const submitted = await useStack().submitView({
      user: ANA,
      callbackId: 'approval_reject_confirm',
      privateMetadata: modal.view.private_metadata,
      values: {
        comment: { comment_input: { type: 'plain_text_input', value: 'Not this quarter <!channel>' } },
      },
    });
    expect(submitted.status).toBe(200);
    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'REJECTED', decider: ANA, comment: 'Not this quarter <!channel>' }),
    );
    const updated = currentMessage(message.ts);
    expect(buttonsOf(updated)).toEqual([]);
    // The comment is shown, escaped: it cannot ping the channel.
    expect(JSON.stringify(updated?.blocks)).toContain('Not this quarter &lt;!channel&gt;');
  });
});
