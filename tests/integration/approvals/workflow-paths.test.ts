import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localStepFunctionsClient } from '@greenlight/local-stack/testing/aws-clients';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { newApprovalId } from '../../../app/shared/ids';
import { templateWithExamplePipeline } from '../../helpers/derived-templates';
import { ANA, APPROVALS_CHANNEL as CHANNEL, RITA, useTestStack } from '../../helpers/people';

// The real template plus the example pipeline from workflows/examples/.
const useStack = useTestStack({ templatePath: templateWithExamplePipeline() });

const sfn = () => localStepFunctionsClient(useStack().endpoints.stepfunctions);
const arnOf = (name: string) => useStack().stack.stepFunctions.stateMachineArn(name);

function finished(name: string, machine = 'ApprovalStateMachine') {
  return eventually(
    () =>
      useStack()
        .stack.stepFunctions.executions()
        .find(
          (candidate) =>
            candidate.name === name &&
            candidate.stateMachineName === machine &&
            candidate.status !== 'RUNNING',
        ),
    { what: `${machine} ${name} to finish` },
  );
}

/** Starts the approval workflow directly, as another state machine or a script would. */
async function startApproval(request: Record<string, unknown>, id = newApprovalId()) {
  await sfn().send(
    new StartExecutionCommand({
      stateMachineArn: arnOf('ApprovalStateMachine'),
      name: id,
      input: JSON.stringify({
        request: {
          id,
          title: 'Direct',
          requester: RITA,
          approvers: [ANA],
          channelId: CHANNEL,
          timeoutSeconds: 3600,
          email: false,
          ...request,
        },
      }),
    }),
  );
  return id;
}

describe('the approval workflow started directly', () => {
  it.each([
    ['0', 0],
    ['negative', -60],
    ['fractional', 90.5],
    ['a string', '3600'],
    ['over 30 days', 30 * 86_400 + 1],
  ])(
    'refuses a timeout that is %s, as Slack would: the execution fails naming the field, nothing is stored',
    async (_label, timeoutSeconds) => {
      const id = await startApproval({ title: 'Bad timeout', timeoutSeconds });
      const done = await finished(id);
      expect(done.status).toBe('FAILED');
      expect(done.error).toBe('Greenlight.InvalidRequest');
      // The cause is the function's error, as Lambda reports it; its message lists the fields' errors.
      const { errorMessage } = JSON.parse(done.cause ?? '{}') as { errorMessage: string };
      expect(JSON.parse(errorMessage)).toEqual({
        errors: [expect.objectContaining({ field: 'timeout', problem: expect.any(String) })],
      });
      const documents = DynamoDBDocumentClient.from(useStack().stack.dynamodb.client);
      const { Item } = await documents.send(new GetCommand({ TableName: 'ApprovalsTable', Key: { pk: id } }));
      expect(Item).toBeUndefined();
      expect(
        useStack()
          .stack.slack.messages(CHANNEL)
          .some((candidate) => candidate.text.includes(id)),
      ).toBe(false);
    },
  );

  it('expires when nobody decides within the timeout: EXPIRED, buttons gone, event emitted', async () => {
    const id = await startApproval({ title: 'Quick expiry', timeoutSeconds: 1 });
    const message = await eventually(() =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find((candidate) => candidate.text.includes(id)),
    );
    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ id, status: 'EXPIRED', decider: null, via: 'timeout' }),
    );
    const updated = useStack()
      .stack.slack.messages(CHANNEL)
      .find((candidate) => candidate.ts === message.ts);
    expect(JSON.stringify(updated?.blocks)).toContain('Expired* with no decision');
    expect(JSON.stringify(updated?.blocks)).not.toContain('approval_approve');
    expect(
      useStack()
        .stack.eventBridge.events()
        .some((event) => event.Detail?.includes(`"status":"EXPIRED"`) && event.Detail.includes(id)),
    ).toBe(true);
  });

  it('ends cleanly from the record when the request closed before the workflow could wait', async () => {
    const id = newApprovalId();
    const documents = DynamoDBDocumentClient.from(useStack().stack.dynamodb.client);
    await documents.send(
      new PutCommand({
        TableName: 'ApprovalsTable',
        Item: {
          pk: id,
          status: 'CANCELLED',
          title: 'Withdrawn at once',
          requester: RITA,
          approvers: new Set([ANA]),
          channelId: CHANNEL,
          createdAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          expiresAtEpoch: Math.floor(Date.now() / 1000) + 3600,
          timeoutSeconds: 3600,
          email: false,
          decider: RITA,
          decidedAt: new Date().toISOString(),
          decidedVia: 'command',
        },
      }),
    );
    await startApproval({ title: 'Withdrawn at once' }, id);
    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'CANCELLED', decider: RITA }),
    );
    expect(
      useStack()
        .stack.slack.messages(CHANNEL)
        .some((candidate) => candidate.text.includes(id)),
    ).toBe(false);
  });

  it('keeps the request as the truth when Slack refuses the post, and makes the failure visible', async () => {
    const id = await startApproval({ title: 'Nowhere to post', channelId: 'C0NOSUCHCH' });
    const dm = await eventually(() =>
      useStack()
        .stack.slack.channels()
        .filter((channel) => channel.kind === 'im' && channel.dmUserId === RITA)
        .flatMap((channel) => useStack().stack.slack.messages(channel.id))
        .find((message) => message.text.includes(id)),
    );
    expect(dm.text).toContain('is recorded and waiting, but Slack said channel_not_found');
    const status = await useStack().slashCommand(`status ${id}`, { user: RITA, channel: CHANNEL });
    expect((status.json() as { blocks: unknown[] }).blocks).toEqual([
      expect.objectContaining({
        text: expect.objectContaining({
          text: expect.stringContaining(':warning: Slack said channel_not_found'),
        }),
      }),
    ]);
    expect(
      useStack()
        .stack.stepFunctions.executions()
        .find((candidate) => candidate.name === id)?.status,
    ).toBe('RUNNING');
    // It can still be withdrawn, and the workflow then ends.
    await useStack().slashCommand(`cancel ${id}`, { user: RITA, channel: CHANNEL });
    expect(JSON.parse((await finished(id)).output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'CANCELLED' }),
    );
  });

  it('takes a policy by name: its approvers, resolved group and quorum decide, and the trail records the expiry', async () => {
    const id = await startApproval({
      title: 'Policy by name',
      approvers: undefined,
      policy: 'prod-deploy',
      timeoutSeconds: 2,
    });
    const message = await eventually(() =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find((candidate) => candidate.text.includes(id)),
    );
    expect(JSON.stringify(message.blocks)).toContain('2 of the approvers named above must approve');
    expect(JSON.stringify(message.blocks)).toContain('<@U0APPROVR3>');

    const done = await finished(id);

    const output = JSON.parse(done.output ?? '{}') as Record<string, unknown>;
    expect(output).toEqual(
      expect.objectContaining({
        status: 'EXPIRED',
        policy: 'prod-deploy',
        tally: { need: 2, approved: [], rejected: [] },
      }),
    );
    expect((output.trail as Array<{ kind: string }>).map((entry) => entry.kind)).toEqual([
      'requested',
      'expired',
    ]);
  });

  it('reminds the undecided and escalates inside the workflow, records both, then expires', async () => {
    const CLEO = 'U0APPROVR3';
    const dmsTo = (user: string) =>
      useStack()
        .stack.slack.channels()
        .filter((channel) => channel.kind === 'im' && channel.dmUserId === user)
        .flatMap((channel) => useStack().stack.slack.messages(channel.id));
    const id = await startApproval({
      title: 'Needs a nudge',
      approvers: [ANA],
      timeoutSeconds: 6,
      schedule: {
        remindSeconds: [1],
        escalate: { afterSeconds: 2, approvers: [CLEO], channel: 'C0GENERAL' },
      },
    });

    const reminder = await eventually(() => dmsTo(ANA).find((message) => message.text.includes(id)));
    const added = await eventually(() => dmsTo(CLEO).find((message) => message.text.includes(id)));
    // The approver the escalation added finds it waiting in their App Home, with its buttons.
    const cleoHome = await eventually(
      () => {
        const blocks = JSON.stringify(useStack().stack.slack.homeView(CLEO)?.blocks ?? []);
        return blocks.includes(`home_decide_${id}`) ? blocks : undefined;
      },
      { what: `${id} waiting in the Home of the added approver` },
    );
    const posted = await eventually(() =>
      useStack()
        .stack.slack.messages('C0GENERAL')
        .find((message) => message.text.includes(id)),
    );
    const done = await finished(id);

    expect(reminder.text).toContain('Reminder');
    expect(added.text).toContain('You were added as an approver');
    expect(cleoHome).toContain(`approval_approve:${id}`);
    expect(posted.text).toContain('Escalated');
    const output = JSON.parse(done.output ?? '{}') as {
      status: string;
      approvers: string[];
      trail: Array<{ kind: string; to?: string[]; channel?: string }>;
    };
    expect(output.status).toBe('EXPIRED');
    expect(output.approvers.sort()).toEqual([ANA, CLEO].sort());
    expect(output.trail.map((entry) => [entry.kind, entry.to, entry.channel])).toEqual([
      ['requested', undefined, undefined],
      ['reminded', [ANA], undefined],
      ['escalated', [CLEO], 'C0GENERAL'],
      ['expired', undefined, undefined],
    ]);
    const updates = useStack()
      .stack.eventBridge.events()
      .filter((entry) => entry.DetailType === 'Greenlight Approval Updated' && entry.Detail?.includes(id))
      .map((entry) => (JSON.parse(entry.Detail ?? '{}') as { event: { kind: string } }).event.kind);
    expect(updates).toEqual(['requested', 'reminded', 'escalated', 'expired']);
  });

  it('fails naming the policy when the policy is unknown, storing nothing', async () => {
    const id = await startApproval({ title: 'Unknown policy', policy: 'no-such-policy' });

    const done = await finished(id);

    expect(done.error).toBe('Greenlight.InvalidRequest');
    const { errorMessage } = JSON.parse(done.cause ?? '{}') as { errorMessage: string };
    expect(JSON.parse(errorMessage)).toEqual({
      errors: [
        expect.objectContaining({
          field: 'policy',
          reason: expect.stringContaining('There is no policy `no-such-policy`'),
        }),
      ],
    });
  });
});

describe('the approval workflow as a step of another workflow (workflows/examples)', () => {
  it('waits for the decision and reads it through startExecution.sync:2', async () => {
    const approvalId = newApprovalId();
    await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: arnOf('DeployWithApprovalExample'),
        name: 'deploy-2-4-0',
        input: JSON.stringify({
          approvalId,
          version: '2.4.0',
          requester: RITA,
          approvers: [ANA],
          channelId: CHANNEL,
        }),
      }),
    );
    const message = await eventually(() =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find((candidate) => candidate.text.includes(approvalId)),
    );
    expect(message.text).toContain('Deploy 2.4.0 to production');
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: approvalId,
      user: ANA,
    });
    const pipeline = await finished('deploy-2-4-0', 'DeployWithApprovalExample');
    expect(pipeline.status).toBe('SUCCEEDED');
    expect(JSON.parse(pipeline.output ?? '{}')).toEqual({ deployed: '2.4.0', approvedBy: ANA });
  });
});
