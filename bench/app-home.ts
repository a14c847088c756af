import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { DynamoWorkflowStore } from '../app/approvals/adapters/dynamo-approval-store';
import { newApproval } from '../app/approvals/new-request';
import { newApprovalId } from '../app/shared/ids';
import { TestStack } from '../tests/helpers/local-stack';
import { median, percentile, round } from './stats';

const RITA = 'U0REQUESTR';
const ANA = 'U0APPROVER';
const OMAR = 'U0APPROVR2';
const CHANNEL = 'C0APPROVAL';

/**
 * App Home on the local stack (the real functions and workflows): how many views.publish calls a
 * request costs when it is made and when it is decided, and how long opening a Home takes
 * (app_home_opened, the index reads, the render and views.publish) for someone with nothing open
 * (the baseline) and with `openRequests` open requests waiting for them.
 */
export async function benchAppHome(options: { openRequests: number; opens: number }) {
  const stack = await TestStack.start();
  try {
    const slack = stack.stack.slack;
    const publishes = () => slack.homePublishes();

    const beforeRequest = publishes();
    const answer = await stack.slashCommandAnswer(`request "Bench Home" <@${ANA}> <@${OMAR}>`, {
      user: RITA,
    });
    const id = /GL-[0-9A-Z]{6}/.exec(answer.text)?.[0];
    if (id === undefined) throw new Error(`no request id in ${answer.text}`);
    const message = await eventually(
      () => slack.messages(CHANNEL).find((candidate) => candidate.text.includes(id)),
      { what: 'the approval message', timeoutMs: 30_000 },
    );
    const homesShown = (check: (count: number) => boolean) =>
      eventually(() => (check(publishes()) ? true : undefined), { timeoutMs: 30_000, what: 'the Homes' });
    await homesShown((count) => count - beforeRequest >= 3);
    const atCreation = publishes() - beforeRequest;
    const beforeDecision = publishes();
    await stack.clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    await eventually(
      () =>
        stack.stack.stepFunctions
          .executions()
          .find((execution) => execution.name === id && execution.status === 'SUCCEEDED'),
      { timeoutMs: 30_000, what: 'the approval workflow' },
    );
    const perDecision = publishes() - beforeDecision;

    const openHome = async (user: string): Promise<number> => {
      const before = publishes();
      const started = performance.now();
      const report = await slack.openHome(user);
      if (!report.delivered) throw new Error('app_home_opened was not accepted');
      await eventually(() => (publishes() > before ? true : undefined), { timeoutMs: 10_000 });
      return performance.now() - started;
    };
    // Omar has nothing open (his request was just decided): the baseline.
    for (let i = 0; i < 5; i += 1) await openHome(OMAR);
    const empty: number[] = [];
    for (let i = 0; i < options.opens; i += 1) empty.push(await openHome(OMAR));

    // Open requests written as the approval workflow's first task writes them: record and inbox item.
    const store = new DynamoWorkflowStore(
      DynamoDBDocumentClient.from(stack.stack.dynamodb.client),
      'ApprovalsTable',
    );
    for (let i = 0; i < options.openRequests; i += 1) {
      const checked = newApproval(
        {
          id: newApprovalId(),
          title: `Bench open ${i}`,
          requester: RITA,
          approvers: [ANA],
          channelId: CHANNEL,
          timeoutSeconds: 86_400,
        },
        { allowSelfApproval: false },
        new Date(),
      );
      if (!checked.ok) throw new Error('bench request refused');
      const opened = await store.openForDecision(checked.approval, `bench-token-${i}`);
      if (opened.open) await store.writeInbox(opened.approval);
    }
    for (let i = 0; i < 5; i += 1) await openHome(ANA);
    const full: number[] = [];
    for (let i = 0; i < options.opens; i += 1) full.push(await openHome(ANA));
    const blocks = slack.homeView(ANA)?.blocks.length ?? 0;

    return {
      viewsPublish: {
        atCreation,
        perDecision,
        peopleConcerned: 3,
      },
      homeOpen: [
        {
          home: 'nothing open (baseline)',
          p50Ms: round(median(empty), 1),
          p99Ms: round(percentile(empty, 99), 1),
        },
        {
          home: `${options.openRequests} open requests`,
          p50Ms: round(median(full), 1),
          p99Ms: round(percentile(full, 99), 1),
          blocks,
        },
      ],
      ratio: { homeOpenP50: round(median(full) / median(empty), 2) },
    };
  } finally {
    await stack.stop();
  }
}
