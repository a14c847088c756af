import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import {
  approvalExecution,
  buttonsOf,
  finishedApproval,
  requestApproval,
  waitingTaskEnds,
} from '../../helpers/approval-requests';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, RITA, SAM, useTestStack } from '../../helpers/people';

/** Issue 13: quorums, user groups and policies, through signed Slack requests on the local stack. */
const useStack = useTestStack();

const CLEO = 'U0APPROVR3';
const RELEASE_MANAGERS = '<!subteam^S0RELEASE|@release-managers>';
const RELEASES = 'C0RELEASES';

const slack = () => useStack().stack.slack;
const sfn = () => useStack().stack.stepFunctions;
const request = (text: string, user = RITA) => requestApproval(useStack(), text, user);

const execution = (id: string) => approvalExecution(useStack(), id);
const finished = (id: string) => finishedApproval(useStack(), id);
const taskCompletions = (id: string) => waitingTaskEnds(useStack(), id);

const click = (id: string, messageTs: string, actionId: string, user: string) =>
  useStack().clickButton({ channel: CHANNEL, messageTs, actionId, value: id, user });
const approve = (id: string, ts: string, user: string) => click(id, ts, 'approval_approve', user);

/** Rejects through the confirmation modal, as a person does: the submission is what decides. */
function submitReject(id: string, user: string, comment = '') {
  return useStack().submitView({
    user,
    callbackId: 'approval_reject_confirm',
    privateMetadata: JSON.stringify({ approvalId: id, channelId: CHANNEL }),
    values: { comment: { comment_input: { type: 'plain_text_input', value: comment } } },
  });
}

const messageAt = (ts: string, channel = CHANNEL) =>
  slack()
    .messages(channel)
    .find((candidate) => candidate.ts === ts);

const ephemeralsFor = (user: string) =>
  slack()
    .ephemerals()
    .filter((ephemeral) => ephemeral.user === user);

describe('a quorum (--need)', () => {
  it('counts an approval short of the quorum, shows the tally, and decides at the second approver', async () => {
    const { id, message } = await request(`"Deploy v3" <@${ANA}> <@${OMAR}> <@${CLEO}> --need 2`);

    await approve(id, message.ts, ANA);

    const counted = await eventually(() =>
      JSON.stringify(messageAt(message.ts)?.blocks).includes('Approved 1 of 2')
        ? messageAt(message.ts)
        : undefined,
    );
    expect(JSON.stringify(counted?.blocks)).toContain(`✓ <@${ANA}>`);
    expect(JSON.stringify(counted?.blocks)).toContain(`Waiting for <@${OMAR}>, <@${CLEO}>`);
    expect(buttonsOf(counted)).toHaveLength(2);
    expect(execution(id)?.status).toBe('RUNNING');
    expect((await eventually(() => ephemeralsFor(ANA).at(-1))).text).toContain('is counted: 1 of 2');

    await approve(id, message.ts, OMAR);

    const done = await finished(id);
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ id, status: 'APPROVED', decider: OMAR }),
    );
    const closed = await eventually(() => {
      const current = messageAt(message.ts);
      return buttonsOf(current).length === 0 ? current : undefined;
    });
    expect(JSON.stringify(closed?.blocks)).toContain(`Approved 2 of 2* — ✓ <@${ANA}>, ✓ <@${OMAR}>`);
    expect(taskCompletions(id)).toEqual(['TaskSucceeded']);
    // Everyone is told: Cleo, who did not decide, by a direct message.
    const toCleo = await eventually(() =>
      slack()
        .channels()
        .filter((channel) => channel.kind === 'im' && channel.dmUserId === CLEO)
        .flatMap((channel) => slack().messages(channel.id))
        .find((dm) => dm.text.includes(id)),
    );
    expect(toCleo.text).toContain(`Approved* by <@${OMAR}>`);
  });

  it('tells an approver who clicks twice that they already approved, and counts them once', async () => {
    const { id, message } = await request(`"Rotate certs" <@${ANA}> <@${OMAR}> --need 2`);
    await approve(id, message.ts, ANA);
    await eventually(() => ephemeralsFor(ANA).find((e) => e.text.includes(`\`${id}\` is counted`)));

    await approve(id, message.ts, ANA);

    const told = await eventually(() =>
      ephemeralsFor(ANA).find((e) => e.text.includes('You already approved')),
    );
    expect(told.text).toContain(`You already approved \`${id}\``);
    expect(execution(id)?.status).toBe('RUNNING');
    expect(JSON.stringify(messageAt(message.ts)?.blocks)).toContain('Approved 1 of 2');
  });

  it('is rejected by any one approver, even after an approval', async () => {
    const { id, message } = await request(`"Drop the old table" <@${ANA}> <@${OMAR}> --need 2`);
    await approve(id, message.ts, ANA);
    await eventually(() => ephemeralsFor(ANA).find((e) => e.text.includes(`\`${id}\` is counted`)));

    const submitted = await submitReject(id, OMAR, 'Not before the backup');

    expect(submitted.status).toBe(200);
    const done = await finished(id);
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'REJECTED', decider: OMAR, comment: 'Not before the backup' }),
    );
    expect(taskCompletions(id)).toEqual(['TaskFailed']);
  });

  it('never counts the requester: a quorum only they could complete is refused', async () => {
    const answer = await useStack().slashCommand(`request "Self-serve" <@${RITA}> <@${ANA}> --need 2`);

    expect(answer.json()).toEqual(
      expect.objectContaining({
        text: expect.stringContaining('2 approvals are needed but only 1 approver is named who may decide'),
      }),
    );
  });
});

describe('user groups', () => {
  it('resolves a group named in the command to its members, who decide like named approvers', async () => {
    const { id, message } = await request(`"Release 4.2" ${RELEASE_MANAGERS} --need 2`);
    const shown = JSON.stringify(message.blocks);
    for (const member of [ANA, OMAR, CLEO]) expect(shown).toContain(`<@${member}>`);

    await approve(id, message.ts, CLEO);
    await eventually(() => ephemeralsFor(CLEO).find((e) => e.text.includes(`\`${id}\` is counted`)));
    await approve(id, message.ts, ANA);

    const done = await finished(id);
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'APPROVED', decider: ANA }),
    );
    expect((JSON.parse(done.output ?? '{}') as { approvers: string[] }).approvers.sort()).toEqual(
      [ANA, OMAR, CLEO].sort(),
    );
  });

  it('refuses a group Slack does not know, starting nothing', async () => {
    const before = sfn().executions().length;

    const answer = await useStack().slashCommand('request "Ship" <!subteam^S0NOSUCH|@ghosts>');

    expect((answer.json() as { text: string }).text).toContain("can't find the user group @ghosts");
    expect(sfn().executions()).toHaveLength(before);
  });
});

describe('policies', () => {
  it('--policy takes the approvers, the quorum and the group from the policy file', async () => {
    const { id, message } = await request('"Deploy v5" --policy prod-deploy');
    expect(JSON.stringify(message.blocks)).toContain('2 of the approvers named above must approve');

    await approve(id, message.ts, OMAR);
    await eventually(() => ephemeralsFor(OMAR).find((e) => e.text.includes(`\`${id}\` is counted: 1 of 2`)));
    await approve(id, message.ts, CLEO);

    const done = await finished(id);
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'APPROVED', decider: CLEO }),
    );
  });

  it('names the policies when --policy names none of them', async () => {
    const answer = await useStack().slashCommand('request "Deploy" --policy prod-deploi');

    expect((answer.json() as { text: string }).text).toContain(
      'There is no policy `prod-deploi`. The policies are `prod-deploy`',
    );
  });

  it('gives a request that names no approvers its channel’s default policy', async () => {
    const answer = await useStack().slashCommand('request "Deploy v6"', { channel: RELEASES });
    const id = /GL-[0-9A-Z]{6}/.exec(answer.text)?.[0] ?? '';
    expect(id).not.toBe('');

    const message = await eventually(() =>
      slack()
        .messages(RELEASES)
        .find((candidate) => candidate.text.includes(id) && buttonsOf(candidate).length > 0),
    );
    expect(JSON.stringify(message.blocks)).toContain('2 of the approvers named above must approve');
    for (const member of [ANA, OMAR, CLEO]) expect(JSON.stringify(message.blocks)).toContain(`<@${member}>`);
  });
});

describe('exactly one outcome under concurrency', () => {
  it('100 concurrent clicks and rejections give one outcome, one SendTask*, and an answer to everyone else', async () => {
    const { id, message } = await request(`"Big bang release" ${RELEASE_MANAGERS} --need 2`);
    const people = [ANA, OMAR, CLEO, SAM, RITA];
    const actions = Array.from({ length: 100 }, (_, index) => {
      const user = people[index % people.length] ?? SAM;
      // Every fifth action of an approver is a rejection; the rest are approvals and double clicks.
      return index % 7 === 3 && user !== SAM && user !== RITA
        ? () => submitReject(id, user, `no ${index}`)
        : () => approve(id, message.ts, user);
    });

    const answers = await Promise.all(actions.map((act) => act()));

    expect(answers.map((answer) => answer.status).filter((status) => status !== 200)).toEqual([]);
    const done = await finished(id);
    const outcome = JSON.parse(done.output ?? '{}') as { status: string; decider: string };
    expect(['APPROVED', 'REJECTED']).toContain(outcome.status);
    expect(taskCompletions(id)).toHaveLength(1);
    const decided = useStack()
      .stack.eventBridge.events()
      .filter((entry) => entry.DetailType === 'Greenlight Approval Decided' && entry.Detail?.includes(id));
    expect(decided).toHaveLength(1);
    // Everyone whose click decided nothing is told why: not an approver, already voted, or closed.
    for (const person of people.filter((user) => user !== outcome.decider)) {
      const told = await eventually(() => ephemeralsFor(person).find((e) => e.text.includes(id)));
      expect(told.text).toMatch(
        /not an approver|already approved|already rejected|already closed|is counted/,
      );
    }
  }, 120_000);
});

describe('comments the policy requires', () => {
  it('asks for a required rejection comment, and refuses a rejection without one', async () => {
    const { id, message } = await request('"Deploy v7" --policy prod-deploy');
    await click(id, message.ts, 'approval_reject', ANA);
    const modal = await eventually(() =>
      slack()
        .views()
        .find(
          (view) =>
            view.view.callback_id === 'approval_reject_confirm' && view.view.private_metadata.includes(id),
        ),
    );
    const input = (modal.view.blocks as Array<{ block_id?: string; optional?: boolean }>).find(
      (block) => block.block_id === 'comment',
    );
    expect(input?.optional).toBe(false);

    const bare = await submitReject(id, ANA, '');

    expect(JSON.stringify(bare.json())).toContain('needs a comment to reject');
    expect(execution(id)?.status).toBe('RUNNING');

    await submitReject(id, ANA, 'Change freeze this week');

    const done = await finished(id);
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'REJECTED', decider: ANA, comment: 'Change freeze this week' }),
    );
  });

  it('turns Approve into a modal that asks for the comment where approvals need one, and shows it', async () => {
    const { id, message } = await request('"Read access to the billing DB" --policy access-grant');
    expect(buttonsOf(message).map((button) => button.action_id)).toEqual([
      'approval_approve_comment',
      'approval_reject',
    ]);
    const plain = await approve(id, message.ts, ANA);
    expect(plain.status).toBe(200);
    expect((await eventually(() => ephemeralsFor(ANA).find((e) => e.text.includes(id)))).text).toContain(
      'needs a comment to approve',
    );

    await click(id, message.ts, 'approval_approve_comment', OMAR);
    const modal = await eventually(() =>
      slack()
        .views()
        .find(
          (view) =>
            view.view.callback_id === 'approval_approve_confirm' && view.view.private_metadata.includes(id),
        ),
    );
    await useStack().submitView({
      user: OMAR,
      callbackId: 'approval_approve_confirm',
      privateMetadata: modal.view.private_metadata,
      values: { comment: { comment_input: { type: 'plain_text_input', value: 'Ticket SEC-12 checked' } } },
    });

    const done = await finished(id);
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'APPROVED', decider: OMAR, comment: 'Ticket SEC-12 checked' }),
    );
    const closed = await eventually(() => {
      const current = messageAt(message.ts);
      return buttonsOf(current).length === 0 ? current : undefined;
    });
    expect(JSON.stringify(closed?.blocks)).toContain(`Approved* by <@${OMAR}>`);
    expect(JSON.stringify(closed?.blocks)).toContain('> Ticket SEC-12 checked');
  });
});

describe('the decision trail', () => {
  it('records every event, shows it in `status`, and returns it with the tally as the workflow output and the decided event', async () => {
    const { id, message } = await request(`"Migrate the ledger" <@${ANA}> <@${OMAR}> <@${CLEO}> --need 2`);
    await approve(id, message.ts, ANA);
    await eventually(() => ephemeralsFor(ANA).find((e) => e.text.includes(`\`${id}\` is counted`)));
    await approve(id, message.ts, CLEO);
    const done = await finished(id);

    const output = JSON.parse(done.output ?? '{}') as Record<string, unknown>;
    expect(output.tally).toEqual({ need: 2, approved: [ANA, CLEO], rejected: [] });
    expect(
      (output.trail as Array<{ kind: string; by?: string }>).map((entry) => [entry.kind, entry.by]),
    ).toEqual([
      ['requested', RITA],
      ['approved', ANA],
      ['approved', CLEO],
    ]);
    const decided = await eventually(() =>
      useStack()
        .stack.eventBridge.events()
        .find((entry) => entry.DetailType === 'Greenlight Approval Decided' && entry.Detail?.includes(id)),
    );
    expect(JSON.parse(decided.Detail ?? '{}')).toEqual(
      expect.objectContaining({ tally: { need: 2, approved: [ANA, CLEO], rejected: [] } }),
    );

    const updates = useStack()
      .stack.eventBridge.events()
      .filter((entry) => entry.DetailType === 'Greenlight Approval Updated' && entry.Detail?.includes(id))
      .map(
        (entry) =>
          JSON.parse(entry.Detail ?? '{}') as { event: { kind: string; by: string }; tally: unknown },
      );
    expect(updates.map((update) => [update.event.kind, update.event.by, update.tally])).toEqual([
      ['requested', RITA, { need: 2, approved: [], rejected: [] }],
      ['approved', ANA, { need: 2, approved: [ANA], rejected: [] }],
      ['approved', CLEO, { need: 2, approved: [ANA, CLEO], rejected: [] }],
    ]);

    const status = await useStack().slashCommand(`status ${id}`);

    const shown = JSON.stringify(status.json());
    expect(shown).toContain('*History*');
    expect(shown).toMatch(
      new RegExp(`<@${RITA}> requested[\\s\\S]*<@${ANA}> approved[\\s\\S]*<@${CLEO}> approved`),
    );
  });

  it('appends the cancellation to the trail', async () => {
    const { id } = await request(`"Scale down" <@${ANA}> <@${OMAR}> --need 2`);

    await useStack().slashCommand(`cancel ${id}`);

    const done = await finished(id);
    const trail = (JSON.parse(done.output ?? '{}') as { trail: Array<{ kind: string; by?: string }> }).trail;
    expect(trail.map((entry) => [entry.kind, entry.by])).toEqual([
      ['requested', RITA],
      ['cancelled', RITA],
    ]);
    const updates = await eventually(() => {
      const found = useStack()
        .stack.eventBridge.events()
        .filter((entry) => entry.DetailType === 'Greenlight Approval Updated' && entry.Detail?.includes(id));
      return found.length === 2 ? found : undefined;
    });
    expect(
      updates.map((entry) => (JSON.parse(entry.Detail ?? '{}') as { event: { kind: string } }).event.kind),
    ).toEqual(['requested', 'cancelled']);
  });
});
