import { WORKSPACE } from '@greenlight/local-stack/dev-config';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { BridgeClient } from '../../helpers/bridge-client';
import { ANA, APPROVALS_CHANNEL, OMAR, RITA, SAM, useTestStack } from '../../helpers/people';

/** The issue "Who may see a request", on the seeded workspace: #leads is private, and Sam is not in it. */
const useStack = useTestStack();

const PRIVATE = WORKSPACE.channels.find((channel) => 'isPrivate' in channel && channel.isPrivate)?.id ?? '';

async function requestIn(channel: string, title: string): Promise<string> {
  const answer = await useStack().slashCommand(`request "${title}" <@${OMAR}>`, { user: RITA, channel });
  const id = /GL-[0-9A-Z]{6}/.exec(answer.text)?.[0];
  if (!id) throw new Error(`No approval id in ${answer.text}`);
  await eventually(() =>
    useStack()
      .stack.slack.messages(channel)
      .find((message) => message.text.includes(id)),
  );
  return id;
}

async function statusAs(user: string, id: string, channel = APPROVALS_CHANNEL) {
  const answer = await useStack().slashCommand(`status ${id}`, { user, channel });
  expect(answer.status).toBe(200);
  return answer.json() as { text: string; blocks?: unknown[] };
}

describe('who may see a request', () => {
  it('seeds a private channel with Rita, Ana and Omar in it, and not Sam', () => {
    const leads = useStack()
      .stack.slack.channels()
      .find((channel) => channel.id === PRIVATE);
    expect(leads?.kind).toBe('private');
    expect(leads?.memberIds).toEqual(expect.arrayContaining([RITA, ANA, OMAR]));
    expect(leads?.memberIds).not.toContain(SAM);
  });

  it("answers Sam's status of a private channel's request exactly as for an id that does not exist", async () => {
    const id = await requestIn(PRIVATE, 'Reorg plan');
    const unknown = 'GL-0000ZZ';
    const hidden = await statusAs(SAM, id);
    const missing = await statusAs(SAM, unknown);
    expect(hidden).toEqual({ response_type: 'ephemeral', text: `:warning: There is no request \`${id}\`.` });
    expect(JSON.stringify(hidden).replaceAll(id, unknown)).toBe(JSON.stringify(missing));
    // A cancel does not tell him who asked either.
    const cancel = await useStack().slashCommand(`cancel ${id}`, { user: SAM, channel: APPROVALS_CHANNEL });
    expect((cancel.json() as { text: string }).text).toBe(`:warning: There is no request \`${id}\`.`);
  });

  it('shows the details to a member of the channel (Ana), the requester (Rita) and the approver (Omar), from any channel', async () => {
    const id = await requestIn(PRIVATE, 'Reorg budget');
    for (const user of [ANA, RITA, OMAR]) {
      const reply = await statusAs(user, id, APPROVALS_CHANNEL);
      expect(JSON.stringify(reply.blocks)).toContain('Reorg budget');
      expect(JSON.stringify(reply.blocks)).toContain(`Requested by <@${RITA}>`);
    }
  });

  it("still shows a public channel's request to anyone in that channel", async () => {
    const id = await requestIn(APPROVALS_CHANNEL, 'Team lunch');
    expect(JSON.stringify((await statusAs(SAM, id)).blocks)).toContain('Team lunch');
  });

  it("never pushes a private channel's outcome to WebSocket clients, which are outside Slack", async () => {
    const client = await BridgeClient.connect(useStack(), 'dashboard');
    try {
      const hidden = await requestIn(PRIVATE, 'Quiet reorg');
      const shown = await requestIn(APPROVALS_CHANNEL, 'Loud launch');
      for (const [id, channel] of [
        [hidden, PRIVATE],
        [shown, APPROVALS_CHANNEL],
      ] as const) {
        const message = useStack()
          .stack.slack.messages(channel)
          .find((candidate) => candidate.text.includes(id));
        await useStack().clickButton({
          channel,
          messageTs: message?.ts ?? '',
          actionId: 'approval_approve',
          value: id,
          user: OMAR,
        });
        await eventually(() =>
          useStack()
            .stack.stepFunctions.executions()
            .find((execution) => execution.name === id && execution.status === 'SUCCEEDED'),
        );
      }
      // The public one arrives (the client is listening); the private one, which ended first, never did.
      await client.next((frame) => frame.type === 'approval' && frame.id === shown, 'the public outcome');
      expect(client.ofType('approval').filter((frame) => frame.id === hidden)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
