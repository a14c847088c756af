import { functionExecutedCallback } from '@greenlight/local-stack/slack-api/function-executions';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { approvalIdFor } from '../../../app/shared/ids';
import { manifestFunctions } from '../../../scripts/local-hooks';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, RITA, useTestStack } from '../../helpers/people';

const useStack = useTestStack();
const slack = () => useStack().stack.slack;

const [step] = manifestFunctions();
if (step === undefined) throw new Error('manifest.json declares no function');

/** A workflow reaches the Request approval step with these inputs; resolves once Slack delivered it. */
async function runStep(inputs: Record<string, unknown>) {
  const { execution, delivery } = slack().runFunction(step as NonNullable<typeof step>, {
    requester: RITA,
    approvers: [ANA],
    channel: CHANNEL,
    ...inputs,
  });
  expect((await delivery).delivered).toBe(true);
  return { executionId: execution.functionExecutionId, id: approvalIdFor(execution.functionExecutionId) };
}

/** The step's run once Workflow Builder has its outcome. */
function finishedRun(executionId: string) {
  return eventually(
    () =>
      slack()
        .functionExecutions()
        .find((run) => run.functionExecutionId === executionId && run.state !== 'running'),
    { what: `the step ${executionId} to complete`, timeoutMs: 30_000 },
  );
}

function approvalMessage(id: string) {
  return eventually(
    () =>
      slack()
        .messages(CHANNEL)
        .find((message) => message.text.includes(id)),
    { what: `the approval message of ${id}` },
  );
}

describe('the Request approval step of Workflow Builder', () => {
  it('makes the request from its inputs, stays pending, and completes with the outputs once approved', async () => {
    const { executionId, id } = await runStep({ title: 'Ship the release notes', details: 'v2.4' });
    const message = await approvalMessage(id);
    const pending = slack()
      .functionExecutions()
      .find((run) => run.functionExecutionId === executionId)?.state;

    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    const run = await finishedRun(executionId);

    expect(pending).toBe('running');
    expect(message.text).toContain('Ship the release notes');
    expect({ state: run.state, outputs: run.outputs }).toEqual({
      state: 'completed',
      outputs: { status: 'APPROVED', deciders: [ANA], comment: '', approval_id: id },
    });
  });

  it('ends with a readable error when the request is cancelled', async () => {
    const { executionId, id } = await runStep({ title: 'Rename the bucket' });
    await approvalMessage(id);

    await useStack().slashCommand(`cancel ${id}`, { user: RITA });
    const run = await finishedRun(executionId);

    expect({ state: run.state, error: run.error }).toEqual({
      state: 'failed',
      error: `Request ${id} "Rename the bucket" was cancelled.`,
    });
  });

  it('ends with a readable error when the request expires undecided', async () => {
    // One second (the step's timeout is in hours): the path a day-long request takes at its end.
    const { executionId, id } = await runStep({ title: 'Short-lived', timeout: 1 / 3600 });

    const run = await finishedRun(executionId);

    expect({ state: run.state, error: run.error }).toEqual({
      state: 'failed',
      error: `Request ${id} "Short-lived" expired with no decision.`,
    });
  });

  it('fails at once, with the rules’ own sentences, when the inputs make no valid request, and makes nothing', async () => {
    const { executionId, id } = await runStep({ title: '  ', approvers: [RITA] });

    const run = await finishedRun(executionId);

    expect({ state: run.state, error: run.error }).toEqual({
      state: 'failed',
      error:
        'Add a title: say what needs approval. You cannot approve your own request; name someone else as approver.',
    });
    expect(
      useStack()
        .stack.stepFunctions.executions()
        .some((execution) => execution.name === id),
    ).toBe(false);
  });

  it('asks for a quorum when need is above one, and outputs every approver who approved', async () => {
    const { executionId, id } = await runStep({ title: 'Two keys', approvers: [ANA, OMAR], need: 2 });
    const message = await approvalMessage(id);
    const click = (user: string) =>
      useStack().clickButton({
        channel: CHANNEL,
        messageTs: message.ts,
        actionId: 'approval_approve',
        value: id,
        user,
      });

    await click(ANA);
    const afterOne = slack()
      .functionExecutions()
      .find((run) => run.functionExecutionId === executionId)?.state;
    await click(OMAR);
    const run = await finishedRun(executionId);

    expect(afterOne).toBe('running');
    expect({ state: run.state, outputs: run.outputs }).toEqual({
      state: 'completed',
      outputs: { status: 'APPROVED', deciders: [ANA, OMAR], comment: '', approval_id: id },
    });
  });

  it('refuses a need larger than the approvers who may decide, with the rules’ sentence', async () => {
    const { executionId } = await runStep({ title: 'Three keys', need: 3 });

    const run = await finishedRun(executionId);

    expect(run.error).toBe('3 approvals are needed but only 1 approver is named who may decide.');
  });

  it('makes one request however often Slack delivers the same execution', async () => {
    const { executionId, id } = await runStep({ title: 'Delivered twice' });
    await approvalMessage(id);
    const execution = slack()
      .functionExecutions()
      .find((run) => run.functionExecutionId === executionId);
    if (execution === undefined) throw new Error('no execution');
    const team = useStack().endpoints.team;
    // A second delivery with a new event id: the receiver's event dedup cannot catch it, the step must.
    const again = functionExecutedCallback(
      {
        teamId: team.id,
        teamName: team.name,
        appId: 'A0GREENLT',
        botId: 'B0GLBOT',
        botUserId: 'U0GLBOT',
        botName: 'greenlight',
      },
      {
        run: execution,
        definition: step as NonNullable<typeof step>,
        eventId: 'Ev0REDELIVER',
        botToken: 'unused',
        nowMs: Date.now(),
      },
    );

    const answer = await useStack().signedSlackPost(JSON.stringify(again), 'application/json');

    expect(answer.status).toBe(200);
    const approvalRuns = () =>
      useStack()
        .stack.stepFunctions.executions()
        .filter((run) => run.stateMachineName === 'ApprovalStateMachine' && run.name === id);
    expect(approvalRuns()).toHaveLength(1);
    expect(
      slack()
        .messages(CHANNEL)
        .filter((message) => message.text.includes(id)),
    ).toHaveLength(1);
  });
});
