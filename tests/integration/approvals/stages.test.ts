import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import {
  approvalExecution,
  buttonsOf,
  finishedApproval,
  requestApproval,
  waitingTaskEnds,
} from '../../helpers/approval-requests';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, RITA, useTestStack } from '../../helpers/people';

/**
 * Issue 13's stages, with the example file's `change-board` policy: Ana (the team lead) decides
 * stage 1, then Omar and Cleo (the change board, `need: all`) stage 2; every decision needs a comment.
 */
const useStack = useTestStack();

const CLEO = 'U0APPROVR3';

const slack = () => useStack().stack.slack;

const execution = (id: string) => approvalExecution(useStack(), id);
const finished = (id: string) => finishedApproval(useStack(), id);
const taskCompletions = (id: string) => waitingTaskEnds(useStack(), id);

const messageAt = (ts: string) =>
  slack()
    .messages(CHANNEL)
    .find((candidate) => candidate.ts === ts);

/** A decision through its comment modal, as the policy requires: the submission is what decides. */
function decide(id: string, ts: string, user: string, decision: 'approve' | 'reject', comment: string) {
  return useStack().submitView({
    user,
    callbackId: decision === 'approve' ? 'approval_approve_confirm' : 'approval_reject_confirm',
    privateMetadata: JSON.stringify({ approvalId: id, channelId: CHANNEL, messageTs: ts }),
    values: { comment: { comment_input: { type: 'plain_text_input', value: comment } } },
  });
}

/** Stage 1 approved by Ana: waits until the message shows stage 2 as the one being decided. */
async function passStageOne(id: string, ts: string) {
  expect((await decide(id, ts, ANA, 'approve', 'Lead OK')).status).toBe(200);
  return eventually(
    () => {
      const text = JSON.stringify(messageAt(ts)?.blocks);
      return text.includes('Stage 1 · Team lead* — approved by') &&
        text.includes('Stage 2 · Change board* — 0 of 2, waiting for')
        ? messageAt(ts)
        : undefined;
    },
    { what: 'the message to show stage 2 under way' },
  );
}

describe('a staged policy (change-board)', () => {
  it('starts stage 2 only after stage 1 is approved, and approves when the whole board has', async () => {
    const { id, message } = await requestApproval(
      useStack(),
      '"Rotate the DB credentials" --policy change-board',
      RITA,
    );
    const first = JSON.stringify(message.blocks);
    expect(first).toContain(`Stage 1 · Team lead* — 0 of 1, waiting for <@${ANA}>`);
    expect(first).toContain('Stage 2 · Change board* — 0 of 2, waiting for stage 1');

    // A board member cannot decide while the lead has not.
    const early = await decide(id, message.ts, OMAR, 'approve', 'Too early');
    expect(early.text).toContain(`You are not an approver of \`${id}\``);
    expect(execution(id)?.status).toBe('RUNNING');

    const second = await passStageOne(id, message.ts);
    const secondText = JSON.stringify(second?.blocks);
    expect(secondText).toContain(`approved by <@${ANA}> (Lead OK) ✓`);
    expect(secondText).toContain(`waiting for <@${OMAR}>, <@${CLEO}>`);
    expect(buttonsOf(second)).toHaveLength(2);
    expect(execution(id)?.status).toBe('RUNNING');
    // Omar's early click was refused, not counted: stage 2 starts at 0.
    expect(secondText).not.toContain('Too early');

    await decide(id, message.ts, OMAR, 'approve', 'Board: fine');
    await eventually(() =>
      JSON.stringify(messageAt(message.ts)?.blocks).includes('1 of 2') ? true : undefined,
    );
    expect(execution(id)?.status).toBe('RUNNING');
    await decide(id, message.ts, CLEO, 'approve', 'Board: fine too');

    const done = await finished(id);
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ id, status: 'APPROVED', decider: CLEO }),
    );
    // One SendTask* per stage: stage 1's success (a stage result) and the outcome's.
    expect(taskCompletions(id)).toEqual(['TaskSucceeded', 'TaskSucceeded']);
    const closed = await eventually(() => {
      const current = messageAt(message.ts);
      return buttonsOf(current).length === 0 ? current : undefined;
    });
    expect(JSON.stringify(closed?.blocks)).toContain('Stage 2 · Change board* — approved by');
  });

  it('is rejected by a rejection in stage 2', async () => {
    const { id, message } = await requestApproval(
      useStack(),
      '"Drop the audit table" --policy change-board',
      RITA,
    );
    await passStageOne(id, message.ts);

    await decide(id, message.ts, CLEO, 'reject', 'Not without a backup');

    const done = await finished(id);
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'REJECTED', decider: CLEO, comment: 'Not without a backup' }),
    );
    expect(taskCompletions(id)).toEqual(['TaskSucceeded', 'TaskFailed']);
  });
});
