import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SandboxSession } from '../helpers/sandbox-page';

jest.setTimeout(60_000);

/** The app's other ways in, through the sandbox page in Chromium: shortcuts, App Home, Workflow Builder. */
describe('Slack surfaces in the sandbox', () => {
  let session: SandboxSession;

  beforeAll(async () => {
    session = await SandboxSession.start();
  });

  afterEach(() => session.endTest());

  afterAll(() => session.stop());

  it('lists the global shortcut under Shortcuts by the composer, and choosing it opens the request form', async () => {
    const rita = await session.open({ as: 'rita' });
    await rita.openConversation('approvals');

    await rita.page.locator('#composer-tools').getByText('Shortcuts', { exact: true }).click();
    const item = rita.page.getByRole('button', { name: /Request approval/ });
    const offered = await item.allTextContents();
    await item.click();
    await rita.modal().getByRole('heading', { name: 'Ask for approval' }).waitFor();

    expect(offered).toEqual(['Request approvalAsk someone to approve something']);
    await expect(rita.modal().getByLabel('What needs approval?', { exact: true }).inputValue()).resolves.toBe(
      '',
    );
    await rita.screenshot('form');
    await rita.modal().getByRole('button', { name: 'Cancel' }).click();
    await rita.modal().waitFor({ state: 'hidden' });
  });

  it('turns a message into a request from its More actions menu; the approval message links back to it', async () => {
    const rita = await session.open({ as: 'rita' });
    await rita.openConversation('approvals');
    await rita.send('Please sign off the Q3 vendor contract');
    const original = rita.message('Please sign off the Q3 vendor contract');

    await original.getByText('More actions', { exact: true }).click();
    await original.getByRole('button', { name: /Request approval/ }).click();
    await rita.modal().getByRole('heading', { name: 'Ask for approval' }).waitFor();
    const title = await rita.modal().getByLabel('What needs approval?', { exact: true }).inputValue();
    const link = await rita.modal().getByRole('link', { name: 'this message' }).getAttribute('href');
    await rita.fillModal({ Approvers: 'Ana Approver' });
    await rita.submitModal();
    await rita.modal().waitFor({ state: 'hidden' });
    const posted = rita
      .messages()
      .filter({ has: rita.page.getByRole('heading', { name: 'Please sign off the Q3 vendor contract' }) });
    await posted.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 30_000 });

    expect(title).toBe('Please sign off the Q3 vendor contract');
    expect(link).toMatch(/\/archives\/C0APPROVAL\/p\d+$/);
    await expect(posted.getByRole('link', { name: 'this message' }).getAttribute('href')).resolves.toBe(link);
    await rita.screenshot();
  });

  it('shows the Home tab under the app in the sidebar: what waits for Ana, decided from there, then under Recently decided', async () => {
    const rita = await session.open({ as: 'rita' });
    const id = await rita.requestApproval('Home tab check');

    await rita.actAs('ana');
    await rita.openConversation('Greenlight Home');
    const home = rita.page.getByRole('region', { name: 'Home tab' });
    const waiting = home.locator('.bk-section').filter({ hasText: id });
    await waiting.waitFor();
    await rita.screenshot('before');
    // The request's buttons are the block right after its summary, as in Slack.
    await waiting.locator('xpath=following-sibling::*[1]').getByRole('button', { name: 'Approve' }).click();
    await home
      .getByText(/Approved.*by @Ana Approver/)
      .first()
      .waitFor();

    await expect(home.locator('.bk-section').filter({ hasText: id }).textContent()).resolves.toContain(
      'Approved',
    );
    await expect(home.getByRole('button', { name: 'New request' }).count()).resolves.toBe(1);
    await expect(rita.composer.isVisible()).resolves.toBe(false);
    await rita.actAs('rita');
    await rita.page
      .getByRole('region', { name: 'Home tab' })
      .getByText(/Approved.*by @Ana Approver/)
      .first()
      .waitFor();
    await rita.screenshot();
  });

  it('runs a one-step workflow from the Workflow Builder pane: the step waits, then shows its outputs once approved', async () => {
    const rita = await session.open({ as: 'rita' });
    await rita.openConversation('approvals');
    await rita.page.getByRole('tab', { name: 'Workflow Builder' }).click();
    const pane = rita.page.getByRole('tabpanel', { name: 'Workflow Builder' });

    await pane.getByLabel('Title').fill('Publish the Q3 report');
    await pane.getByLabel('Approvers').selectOption({ label: 'Ana Approver' });
    await pane.getByLabel('Post the request in').selectOption({ label: '#approvals' });
    await pane.getByRole('button', { name: 'Run workflow' }).click();
    const run = pane.locator('.wb-run').first();
    await run.getByText('Waiting for the step…').waitFor();
    const waiting = await run.textContent();
    const message = rita
      .messages()
      .filter({ has: rita.page.getByRole('heading', { name: 'Publish the Q3 report' }) });
    await message.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 30_000 });
    await rita.screenshot('waiting');
    await rita.actAs('ana');
    await rita.clickButton(message, 'Approve');
    await rita.page.getByRole('tab', { name: 'Workflow Builder' }).click();
    await pane.locator('.wb-run-completed').first().waitFor({ timeout: 30_000 });

    expect(waiting).toContain('"title":"Publish the Q3 report"');
    const outputs = await pane.locator('.wb-run-completed .wb-run-outputs').first().textContent();
    expect(JSON.parse(outputs ?? '{}')).toMatchObject({ status: 'APPROVED', deciders: ['U0APPROVER'] });
    await rita.screenshot();
  });
});
