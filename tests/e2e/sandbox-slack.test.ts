import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { requestApproval } from '../helpers/sandbox-fixture-app';
import { SandboxSession } from '../helpers/sandbox-page';

jest.setTimeout(60_000);

/**
 * The sandbox page in Chromium against the fixture app (tests/fixtures/sandbox): what a person does
 * in Slack, done through the page, with every request to the app signed by the sandbox server.
 */
describe('the Slack sandbox page', () => {
  let session: SandboxSession;

  beforeAll(async () => {
    session = await SandboxSession.start();
  });

  afterEach(() => session.endTest());

  afterAll(() => session.stop());

  const open = (as: string) => session.open({ as });

  const request = requestApproval;

  it("runs a slash command as a signed request and renders the app's Block Kit message", async () => {
    const rita = await open('rita');

    const id = await request(rita, 'Deploy v2 to prod');

    const message = rita.message(id, 'Approval requested');
    await expect(message.getByRole('heading', { name: 'Approval requested' }).count()).resolves.toBe(1);
    await expect(message.locator('strong').first().textContent()).resolves.toBe('Deploy v2 to prod');
    await expect(message.locator('.bk-fields').textContent()).resolves.toContain(`Request${id}`);
    await expect(message.getByRole('img', { name: 'Greenlight badge' }).count()).resolves.toBe(1);
    await expect(message.getByRole('button', { name: 'Approve' }).getAttribute('class')).resolves.toContain(
      'bk-button-primary',
    );
    await expect(message.getByRole('button', { name: 'Reject' }).getAttribute('class')).resolves.toContain(
      'bk-button-danger',
    );
    await expect(message.locator('.bk-mention').first().textContent()).resolves.toBe('@Rita Requester');
  });

  it('shows an ephemeral message only to the person it was posted for', async () => {
    const rita = await open('rita');
    const id = await request(rita, 'Ephemeral check');
    const ephemeral = rita.message(`Started ${id}`);
    await expect(ephemeral.textContent()).resolves.toContain('Only visible to you');

    await rita.actAs('sam');
    const seenBySam = await rita.message(`Started ${id}`).count();
    const approvalSeenBySam = await rita.message(id, 'Approval requested').count();
    await rita.actAs('rita');

    expect(seenBySam).toBe(0);
    expect(approvalSeenBySam).toBe(1);
    await expect(rita.message(`Started ${id}`).count()).resolves.toBe(1);
  });

  it("edits the message live on the requester's page when an approver clicks Approve, and the execution succeeds", async () => {
    const rita = await open('rita');
    const ana = await open('ana');
    const id = await request(rita, 'Rotate the signing keys');

    await ana.clickButton(ana.message(id, 'Approval requested'), 'Approve');

    const onRitasPage = rita.message(id, 'Approval requested', 'Approved by');
    await onRitasPage.waitFor();
    await expect(onRitasPage.textContent()).resolves.toMatch(/Approved by @Ana Approver/);
    await expect(onRitasPage.locator('.edited').textContent()).resolves.toBe('(edited)');
    await expect(onRitasPage.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
    await ana.message(`You approved ${id}`).waitFor();
    await expect(rita.message(`You approved ${id}`).count()).resolves.toBe(0);
    await rita.openTool('Workflows');
    const execution = rita.execution(id);
    await execution.locator(':scope > summary .status-succeeded').waitFor();
    await expect(rita.openExecution(id)).resolves.toEqual(['Announce', 'Record', 'Decide', 'Approved']);
  });

  it('asks to confirm a Reject, then opens a modal whose errors show under its input until the comment is valid', async () => {
    const rita = await open('rita');
    const id = await request(rita, 'Buy a boat');
    await rita.actAs('ana');
    const message = rita.message(id, 'Approval requested');

    await rita.clickButton(message, 'Reject', { confirm: 'Keep it' });
    const modalAfterDeny = await rita.modal().isVisible();
    await rita.clickButton(message, 'Reject');
    await expect(rita.confirmDialog().getByRole('heading').textContent()).resolves.toBe(`Reject ${id}?`);
    await rita.confirmDialog().getByRole('button', { name: 'Reject', exact: true }).click();
    await rita
      .modal()
      .getByRole('heading', { name: `Reject ${id}` })
      .waitFor();
    await rita.submitModal();
    await rita.modal().getByText('Please complete this required field.').waitFor();
    await rita.fillModal({ 'Why?': 'no' });
    await rita.submitModal();
    await rita.modal().getByText('Say why, in at least 3 characters.').waitFor();
    const invalid = await rita.modal().getByLabel('Why?').getAttribute('aria-invalid');
    await rita.fillModal({ 'Why?': 'Boats are not in the budget' });
    await rita.submitModal();
    await rita.modal().waitFor({ state: 'hidden' });

    expect(modalAfterDeny).toBe(false);
    expect(invalid).toBe('true');
    const rejected = rita.message(id, 'Approval requested', 'Rejected by @Ana Approver');
    await rejected.waitFor();
    await expect(rejected.textContent()).resolves.toContain('Boats are not in the budget');
    await rita.openTool('Workflows');
    await rita.execution(id).locator(':scope > summary .status-failed').waitFor();
    await expect(rita.execution(id).locator('.step-error').first().textContent()).resolves.toContain(
      'Demo.Rejected',
    );
  });

  it('opens the modal views.open sends for /greenlight and submits it as a view_submission', async () => {
    const rita = await open('rita');

    await rita.runCommand('/greenlight');
    await rita.modal().getByRole('heading', { name: 'Ask for approval' }).waitFor();
    await rita.fillModal({ 'What needs approval?': 'ab' });
    await rita.submitModal();
    const error = rita.modal().getByText('Give the request a title of at least 3 characters.');
    await error.waitFor();
    await rita.fillModal({ 'What needs approval?': 'A standing desk', Priority: 'High' });
    await rita.submitModal();
    await rita.modal().waitFor({ state: 'hidden' });

    const posted = rita.message('A standing desk', 'Approval requested');
    await posted.waitFor();
    await expect(posted.locator('.bk-fields').textContent()).resolves.toContain('Priorityhigh');
  });

  it('delivers a reply typed in a thread to the app as an Events API event, and shows its answer', async () => {
    const rita = await open('rita');
    const id = await request(rita, 'Thread check');

    await rita.openThread(rita.message(id, 'Approval requested'));
    await rita.replyInThread('Any update on this?');

    const reply = rita.thread().locator('article').filter({ hasText: 'Any update on this?' }).first();
    await reply.getByText('Delivered to the app as an Events API message event (HTTP 200).').waitFor();
    await rita.thread().getByText('Thanks @Rita Requester, I got: “Any update on this?”').waitFor();
    await expect(rita.message(id).locator('.thread-summary').textContent()).resolves.toMatch(
      /^2 replies from/,
    );
  });

  it('shows text from a message as text: markup in it is never run or rendered', async () => {
    const rita = await open('rita');

    const id = await request(rita, '<img src=x onerror="window.injected=1"> & <b>bold</b>');

    const message = rita.message(id, 'Approval requested');
    await expect(message.locator('strong').first().textContent()).resolves.toBe(
      '<img src=x onerror="window.injected=1"> & <b>bold</b>',
    );
    await expect(rita.page.locator('#messages img[src="x"], #messages b').count()).resolves.toBe(0);
    await expect(
      rita.page.evaluate(() => (window as unknown as { injected?: number }).injected),
    ).resolves.toBeUndefined();
  });
});
