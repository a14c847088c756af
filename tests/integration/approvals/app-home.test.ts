import type { SlackView } from '@greenlight/local-stack/slack-api';
import { actionDetails, findElement } from '@greenlight/local-stack/slack-requests/block-elements';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { requestApproval } from '../../helpers/approval-requests';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, RITA, SAM, useTestStack } from '../../helpers/people';

const useStack = useTestStack();
const slack = () => useStack().stack.slack;

const HEADINGS = ['Waiting for you', 'Your requests', 'Recently decided'] as const;
type Heading = (typeof HEADINGS)[number];

/** A Home's blocks by section, each block as JSON text (what the person reads, and its buttons). */
function sections(view: SlackView | undefined): Record<Heading, string> {
  const found: Record<string, string[]> = {};
  let current = 'top';
  for (const block of view?.blocks ?? []) {
    const { type, text } = block as { type: string; text?: { text?: string } };
    if (type === 'header' && HEADINGS.includes(text?.text as Heading)) current = text?.text as string;
    else found[current] = [...(found[current] ?? []), JSON.stringify(block)];
  }
  return Object.fromEntries(
    HEADINGS.map((heading) => [heading, (found[heading] ?? []).join('\n')]),
  ) as Record<Heading, string>;
}

const home = (user: string) => sections(slack().homeView(user));

/** Waits until `user`'s Home, as last published, satisfies `check`. */
function homeWhere(user: string, check: (home: Record<Heading, string>) => boolean, what: string) {
  return eventually(
    () => {
      const current = home(user);
      return check(current) ? current : undefined;
    },
    { what: `${what} in the Home of ${user}` },
  );
}

/** A click on a button of `user`'s Home tab, as Slack sends it: block_actions from a view of type home. */
function clickInHome(user: string, blockId: string, actionId: string, view = slack().homeView(user)) {
  if (view === undefined) throw new Error(`${user} has no Home`);
  const found = findElement(view.blocks, blockId, actionId);
  if (found === undefined) throw new Error(`no ${actionId} in block ${blockId} of ${user}'s Home`);
  return useStack().slackCaller.clickInView({ user, view, action: actionDetails(found) });
}

describe('App Home', () => {
  it('is published when a person opens it, from the indexes, with a New request button', async () => {
    const report = await slack().openHome(SAM);

    expect(report.delivered).toBe(true);
    const view = await eventually(() => slack().homeView(SAM), { what: "Sam's Home" });
    expect(view.type).toBe('home');
    expect(JSON.stringify(view.blocks)).toContain('"action_id":"home_new_request"');
    expect(home(SAM)['Waiting for you']).toContain('Nothing waits for your decision.');
  });

  it('shows a new request to its requester and each approver, and moves it to Recently decided for all three once approved', async () => {
    const { id, message } = await requestApproval(useStack(), `"Home check" <@${ANA}> <@${OMAR}>`);

    const before = {
      rita: await homeWhere(RITA, (h) => h['Your requests'].includes(id), 'the request'),
      ana: await homeWhere(ANA, (h) => h['Waiting for you'].includes(id), 'the request'),
      omar: await homeWhere(OMAR, (h) => h['Waiting for you'].includes(id), 'the request'),
    };
    const publishesBefore = slack().homePublishes();
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    const after = {
      rita: await homeWhere(RITA, (h) => h['Recently decided'].includes(id), 'the outcome'),
      ana: await homeWhere(ANA, (h) => h['Recently decided'].includes(id), 'the outcome'),
      omar: await homeWhere(OMAR, (h) => h['Recently decided'].includes(id), 'the outcome'),
    };

    expect(before.rita['Your requests']).toContain('home_cancel_request');
    expect(before.rita['Waiting for you']).not.toContain(id);
    for (const approver of [before.ana, before.omar]) {
      expect(approver['Waiting for you']).toMatch(
        new RegExp(`"block_id":"home_decide_${id}".*"action_id":"approval_approve:${id}"`),
      );
      expect(approver['Your requests']).not.toContain(id);
    }
    for (const person of [after.rita, after.ana, after.omar]) {
      expect(person['Waiting for you']).not.toContain(id);
      expect(person['Your requests']).not.toContain(id);
      expect(person['Recently decided']).toContain(`*Approved* by <@${ANA}>`);
    }
    // One publish per person concerned, once, whoever announces the outcome.
    expect(slack().homePublishes() - publishesBefore).toBe(3);
  });

  it('decides from the Home exactly as from the message, and refreshes the Home at once', async () => {
    const { id } = await requestApproval(useStack(), `"Approve from Home" <@${ANA}>`);
    await homeWhere(ANA, (h) => h['Waiting for you'].includes(id), 'the request');

    const answer = await clickInHome(ANA, `home_decide_${id}`, `approval_approve:${id}`);

    expect(answer.status).toBe(200);
    const record = await eventually(() =>
      slack()
        .messages(CHANNEL)
        .find((candidate) => candidate.text.includes(id) && candidate.text.startsWith('Approved')),
    );
    expect(record.text).toContain('Approve from Home');
    await homeWhere(
      ANA,
      (h) => !h['Waiting for you'].includes(id) && h['Recently decided'].includes(id),
      'the decision',
    );
  });

  it('refuses a stale button with the usual sentence, in the DM with the app, and refreshes that Home', async () => {
    const { id, message } = await requestApproval(useStack(), `"Stale Home" <@${ANA}> <@${OMAR}>`);
    await homeWhere(OMAR, (h) => h['Waiting for you'].includes(id), 'the request');
    const stale = slack().homeView(OMAR);
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    await homeWhere(OMAR, (h) => h['Recently decided'].includes(id), 'the outcome');

    const answer = await clickInHome(OMAR, `home_decide_${id}`, `approval_approve:${id}`, stale);

    expect(answer.status).toBe(200);
    const dm = slack()
      .channels()
      .find((channel) => channel.kind === 'im' && channel.dmUserId === OMAR);
    const told = await eventually(() =>
      slack()
        .messages(dm?.id ?? '')
        .find((candidate) => candidate.text.includes(`\`${id}\` is already closed`)),
    );
    expect(told.text).toContain(`*Approved* by <@${ANA}>`);
    const refreshed = await homeWhere(
      OMAR,
      () => JSON.stringify(slack().homeView(OMAR)?.blocks).includes('already closed'),
      'the notice',
    );
    expect(refreshed['Waiting for you']).not.toContain(id);
  });

  it("cancels one of the requester's open requests from the Home, which every Home then shows closed", async () => {
    const { id } = await requestApproval(useStack(), `"Cancel from Home" <@${ANA}>`);
    await homeWhere(RITA, (h) => h['Your requests'].includes(id), 'the request');

    const answer = await clickInHome(RITA, `home_mine_${id}`, `home_cancel_request:${id}`);

    expect(answer.status).toBe(200);
    await homeWhere(
      RITA,
      (h) => !h['Your requests'].includes(id) && h['Recently decided'].includes(id),
      'the cancel',
    );
    await homeWhere(
      ANA,
      (h) => !h['Waiting for you'].includes(id) && h['Recently decided'].includes('Cancelled'),
      'the cancel',
    );
  });

  it('counts a quorum approval from the Home: the message shows the tally, the Home says so, and Recently decided keeps it', async () => {
    const { id, message } = await requestApproval(
      useStack(),
      `"Two keys from Home" <@${ANA}> <@${OMAR}> --need 2`,
    );
    await homeWhere(ANA, (h) => h['Waiting for you'].includes(id), 'the request');

    const answer = await clickInHome(ANA, `home_decide_${id}`, `approval_approve:${id}`);

    expect(answer.status).toBe(200);
    await eventually(
      () => {
        const redrawn = slack()
          .messages(CHANNEL)
          .find((candidate) => candidate.ts === message.ts);
        return JSON.stringify(redrawn?.blocks).includes('Approved 1 of 2') ? redrawn : undefined;
      },
      { what: 'the tally on the approval message' },
    );
    await eventually(
      () => (JSON.stringify(slack().homeView(ANA)?.blocks).includes('is counted: 1 of 2') ? true : undefined),
      { what: 'the counted notice in the Home' },
    );
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: OMAR,
    });
    const decided = await homeWhere(RITA, (h) => h['Recently decided'].includes(id), 'the outcome');
    expect(decided['Recently decided']).toContain('Approved 2 of 2');
  });

  it('opens the comment modal from the Home’s Approve where the policy asks for one, and the Home shows the decision', async () => {
    const { id } = await requestApproval(useStack(), '"Billing DB from Home" --policy access-grant');
    await homeWhere(ANA, (h) => h['Waiting for you'].includes(id), 'the request');

    const answer = await clickInHome(ANA, `home_decide_${id}`, `approval_approve:${id}`);

    expect(answer.status).toBe(200);
    const modal = await eventually(
      () =>
        slack()
          .views()
          .find(
            (view) =>
              view.view.callback_id === 'approval_approve_confirm' && view.view.private_metadata.includes(id),
          ),
      { what: 'the comment modal' },
    );
    expect(JSON.parse(modal.view.private_metadata)).toMatchObject({ approvalId: id, fromHome: true });
    const submitted = await useStack().submitView({
      user: ANA,
      callbackId: 'approval_approve_confirm',
      privateMetadata: modal.view.private_metadata,
      values: { comment: { comment_input: { type: 'plain_text_input', value: 'Read-only, for the audit' } } },
    });
    expect(submitted.status).toBe(200);
    const after = await homeWhere(ANA, (h) => h['Recently decided'].includes(id), 'the decision');
    expect(after['Recently decided']).toContain('Read-only, for the audit');
    expect(after['Waiting for you']).not.toContain(id);
  });
});
