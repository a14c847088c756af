import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localStepFunctionsClient } from '@greenlight/local-stack/testing/aws-clients';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { buttonsOf, requestApproval } from '../../helpers/approval-requests';
import { ANA, APPROVALS_CHANNEL as CHANNEL, useTestStack } from '../../helpers/people';

/**
 * The sweep runs on its own: template.yaml's schedule, here every 200 ms instead of five minutes,
 * invokes the close-out function, which finishes a request nobody else will.
 */
const useStack = useTestStack({
  schedules: { everyMs: 200 },
  environment: { SWEEP_GRACE_SECONDS: '0' },
});

describe("template.yaml's close-out schedule on the local stack", () => {
  it('sweeps without being asked: a request left pending past expiry by a stopped execution is expired and announced', async () => {
    const { id, message } = await requestApproval(useStack(), `"Left behind" <@${ANA}>`);
    const execution = useStack()
      .stack.stepFunctions.executions()
      .find((candidate) => candidate.stateMachineName === 'ApprovalStateMachine' && candidate.name === id);
    const sfn = localStepFunctionsClient(useStack().endpoints.stepfunctions);
    await sfn.send(new StopExecutionCommand({ executionArn: execution?.executionArn ?? '' }));
    sfn.destroy();
    const documents = DynamoDBDocumentClient.from(useStack().stack.dynamodb.client);
    await documents.send(
      new UpdateCommand({
        TableName: 'ApprovalsTable',
        Key: { pk: id },
        UpdateExpression: 'SET expiresAt = :at',
        ExpressionAttributeValues: { ':at': new Date(Date.now() - 1000).toISOString() },
      }),
    );

    const item = await eventually(
      async () => {
        const { Item } = await documents.send(
          new GetCommand({ TableName: 'ApprovalsTable', Key: { pk: id } }),
        );
        return Item?.status === 'EXPIRED' && Item.unsettled === undefined ? Item : undefined;
      },
      { what: `the schedule's sweep to close out ${id}` },
    );

    const updated = useStack()
      .stack.slack.messages(CHANNEL)
      .find((candidate) => candidate.ts === message.ts);
    expect({
      via: item.decidedVia,
      buttons: buttonsOf(updated),
      fired: (useStack().stack.schedules.fired().CloseOutSweepSchedule ?? 0) > 0,
    }).toEqual({ via: 'timeout', buttons: [], fired: true });
  });
});
