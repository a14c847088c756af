import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { buttonsOf } from '../../helpers/approval-requests';
import { gatesTableClient } from '../../helpers/gates';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, useTestStack } from '../../helpers/people';

const useStack = useTestStack();

/** A pipeline reaching its manual approval action, which notifies the stack's topic. */
async function pipelineWaits(pipelineName: string, customData = 'Check the canary before production.') {
  const { token, notification } = useStack().stack.codePipeline.waitForApproval({
    pipelineName,
    stageName: 'Approve',
    actionName: 'ProductionGate',
    customData,
    externalEntityLink: 'https://grafana.example.com/d/canary',
  });
  await useStack().stack.sns.publish('PipelineApprovalTopic', notification, 'APPROVAL NEEDED');
  return { token, notification };
}

function approvalMessage(pipelineName: string) {
  return eventually(
    () =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find((message) => message.text.includes(pipelineName) && buttonsOf(message).length > 0),
    { what: `the approval message for ${pipelineName}` },
  );
}

const idOf = (text: string) => /\((GL-[0-9A-Z]{6})\)/.exec(text)?.[1] ?? '';
const resultsFor = (pipelineName: string) =>
  useStack()
    .stack.codePipeline.approvalResults()
    .filter((call) => call.pipelineName === pipelineName);

describe('CodePipeline manual approvals', () => {
  it('turn the SNS notification into a Slack request, and the click answers the action with its token', async () => {
    const { token } = await pipelineWaits('shop-backend');
    const message = await approvalMessage('shop-backend');
    const shown = JSON.stringify(message.blocks);
    expect(message.text).toContain('Approve shop-backend › Approve › ProductionGate');
    expect(shown).toContain('CodePipeline shop-backend');
    expect(shown).toContain('Check the canary before production.');
    expect(shown).not.toContain(token);

    const id = idOf(message.text);
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    const [result] = await eventually(() =>
      resultsFor('shop-backend').length > 0 ? resultsFor('shop-backend') : undefined,
    );
    expect(result).toMatchObject({
      stageName: 'Approve',
      actionName: 'ProductionGate',
      token,
      result: { status: 'Approved', summary: expect.stringContaining(`approved in Greenlight by ${ANA}`) },
      outcome: 'accepted',
    });
  });

  it('makes one request of a notification SNS delivers twice', async () => {
    const { notification } = await pipelineWaits('shop-frontend');
    await useStack().stack.sns.publish('PipelineApprovalTopic', notification);
    const message = await approvalMessage('shop-frontend');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const requests = useStack()
      .stack.slack.messages(CHANNEL)
      .filter((candidate) => candidate.text.includes('shop-frontend'));
    expect(requests.map((candidate) => candidate.ts)).toEqual([message.ts]);
  });

  it('answers Rejected for a rejection, and records as final an action CodePipeline no longer waits for', async () => {
    await pipelineWaits('billing');
    const message = await approvalMessage('billing');
    const id = idOf(message.text);
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_reject',
      value: id,
      user: OMAR,
    });
    const modal = await eventually(() =>
      useStack()
        .stack.slack.views()
        .find(
          (view) =>
            view.view.callback_id === 'approval_reject_confirm' && view.view.private_metadata.includes(id),
        ),
    );
    await useStack().submitView({
      user: OMAR,
      callbackId: 'approval_reject_confirm',
      privateMetadata: modal.view.private_metadata,
      values: { comment: { comment_input: { type: 'plain_text_input', value: 'Error budget spent' } } },
    });
    const [result] = await eventually(() =>
      resultsFor('billing').length > 0 ? resultsFor('billing') : undefined,
    );
    expect(result?.result).toEqual({
      status: 'Rejected',
      summary: expect.stringContaining('Error budget spent'),
    });

    // A notification whose token CodePipeline never issued: the answer is refused for good, and shown.
    const forged = JSON.parse((await pipelineWaits('payments')).notification) as {
      approval: { token: string };
    };
    const other = JSON.stringify({
      ...forged,
      approval: { ...forged.approval, pipelineName: 'payments-2', token: 'made-up' },
    });
    await useStack().stack.sns.publish('PipelineApprovalTopic', other);
    const second = await approvalMessage('payments-2');
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: second.ts,
      actionId: 'approval_approve',
      value: idOf(second.text),
      user: ANA,
    });
    const { Item } = await eventually(async () => {
      const read = await gatesTableClient(useStack()).send(
        new GetCommand({ TableName: 'ApprovalsTable', Key: { pk: idOf(second.text) }, ConsistentRead: true }),
      );
      return read.Item?.unsettled === undefined && read.Item?.status === 'APPROVED' ? read : undefined;
    });
    expect(Item?.deliveryProblems).toEqual([expect.stringContaining('InvalidApprovalTokenException')]);
  });
});
