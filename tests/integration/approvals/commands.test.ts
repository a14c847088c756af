import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, RITA, SAM, useTestStack } from '../../helpers/people';

const useStack = useTestStack();

async function command(text: string, user = RITA) {
  const answer = await useStack().slashCommand(text, { user, channel: CHANNEL });
  expect(answer.status).toBe(200);
  return answer.json() as { response_type: string; text: string; blocks?: unknown[] };
}

async function requestId(text: string): Promise<string> {
  const reply = await command(`request ${text}`);
  const id = /`(GL-[0-9A-Z]{6})`/.exec(reply.text)?.[1];
  if (!id) throw new Error(`No id in ${reply.text}`);
  // Wait for the workflow's first task, so later steps see a posted message and a stored token.
  await eventually(() =>
    useStack()
      .stack.slack.messages(CHANNEL)
      .find((message) => message.text.includes(id)),
  );
  return id;
}

const asText = (reply: { text: string; blocks?: unknown[] }) =>
  `${reply.text}\n${JSON.stringify(reply.blocks ?? [])}`;

describe('/greenlight status', () => {
  it('shows a pending request with its approvers and deadline', async () => {
    const id = await requestId(`"Publish the report" <@${ANA}>`);
    const reply = await command(`status ${id.toLowerCase()}`, SAM);
    expect(reply.response_type).toBe('ephemeral');
    expect(asText(reply)).toContain(`\`${id}\` *Publish the report*`);
    expect(asText(reply)).toContain('Waiting for a decision until <!date^');
    expect(asText(reply)).toContain(`<@${ANA}>`);
    expect(asText(reply)).not.toContain('taskToken');
  });

  it('says when there is no such request', async () => {
    expect((await command('status GL-0000ZZ')).text).toBe(':warning: There is no request `GL-0000ZZ`.');
  });
});

describe('/greenlight list', () => {
  it("lists the asker's open requests and the ones waiting for them, via the indexes", async () => {
    const mine = await requestId(`"Mine to watch" <@${OMAR}>`);
    const reply = await command('list');
    expect(asText(reply)).toContain('Your open requests');
    expect(asText(reply)).toContain(mine);

    const forOmar = await eventually(async () => {
      const answer = await command('list', OMAR);
      return asText(answer).includes(mine) ? answer : undefined;
    });
    expect(asText(forOmar)).toContain('Waiting for you');
  });

  it('says so when nothing is open', async () => {
    expect((await command('list', SAM)).text).toBe('You have no open requests, and none is waiting for you.');
  });
});

describe('/greenlight cancel', () => {
  it('is refused to anyone but the requester, and changes nothing', async () => {
    const id = await requestId(`"Refused cancel" <@${ANA}>`);
    const reply = await command(`cancel ${id}`, SAM);
    expect(reply.text).toBe(`:warning: Only <@${RITA}>, who asked, can cancel \`${id}\`.`);
    expect((await command(`status ${id}`)).text).toBe(`${id}: PENDING`);
  });

  it('withdraws a pending request: the workflow ends CANCELLED and the message loses its buttons', async () => {
    const id = await requestId(`"Cancel me" <@${ANA}>`);
    const reply = await command(`cancel ${id}`);
    expect(reply.text).toContain(`Cancelled \`${id}\``);
    const execution = await eventually(() =>
      useStack()
        .stack.stepFunctions.executions()
        .find((candidate) => candidate.name === id && candidate.status !== 'RUNNING'),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'CANCELLED', decider: RITA, via: 'command' }),
    );
    const message = useStack()
      .stack.slack.messages(CHANNEL)
      .find((candidate) => candidate.text.includes(id));
    expect(JSON.stringify(message?.blocks)).not.toContain('approval_approve');
    expect((await command(`cancel ${id}`)).text).toContain('is no longer pending');
  });
});

describe('bad input', () => {
  it.each([
    ['request with no approver', 'request "Lonely"', 'Name at least one approver.'],
    ['request naming only oneself', `request "Self" <@${RITA}>`, 'You cannot approve your own request'],
    ['request with a channel as approver', 'request "X" <#C0GENERAL|general>', 'is not a person'],
    ['status with a malformed id', 'status 12', 'is not a request id'],
    ['an unknown subcommand', 'aprove GL-7K3F9Q', "I don't know the command `aprove`"],
  ])('%s gets an ephemeral explanation and starts nothing', async (_case, text, expected) => {
    const before = useStack().stack.stepFunctions.executions().length;
    const reply = await command(text);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain(expected);
    expect(useStack().stack.stepFunctions.executions()).toHaveLength(before);
  });
});
