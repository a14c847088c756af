import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SandboxSession } from '../helpers/sandbox-page';

jest.setTimeout(60_000);

/**
 * The sandbox page in Chromium against the product (template.yaml): what a person does in Slack,
 * done through the page, with every request to the app signed by the sandbox server.
 */
describe('the Slack sandbox page', () => {
  let session: SandboxSession;

  beforeAll(async () => {
    session = await SandboxSession.start();
  });

  afterEach(() => session.endTest());

  afterAll(() => session.stop());

  const open = (as: string) => session.open({ as });

  it("runs a slash command as a signed request and renders the app's Block Kit message", async () => {
    const rita = await open('rita');

    const id = await rita.requestApproval('Deploy v2 to prod');

    const message = rita.approvalMessage(id);
    await expect(message.getByRole('heading', { name: 'Deploy v2 to prod' }).count()).resolves.toBe(1);
    await expect(message.locator('.bk-fields').textContent()).resolves.toContain(`Request${id}`);
    await expect(message.locator('.bk-fields .bk-mention').first().textContent()).resolves.toBe(
      '@Rita Requester',
    );
    await expect(message.getByRole('button', { name: 'Approve' }).getAttribute('class')).resolves.toContain(
      'bk-button-primary',
    );
    await expect(message.getByRole('button', { name: 'Reject…' }).getAttribute('class')).resolves.toContain(
      'bk-button-danger',
    );
  });

  it('shows an ephemeral message only to the person it was posted for', async () => {
    const rita = await open('rita');
    const id = await rita.requestApproval('Ephemeral check');
    const ephemeral = rita.message('Only visible to you', id);
    await expect(ephemeral.textContent()).resolves.toContain('⏳ Asked @Ana Approver');

    await rita.actAs('sam');
    const seenBySam = await rita.message('Only visible to you', id).count();
    const approvalSeenBySam = await rita.approvalMessage(id).count();
    await rita.actAs('rita');

    expect(seenBySam).toBe(0);
    expect(approvalSeenBySam).toBe(1);
    await expect(rita.message('Only visible to you', id).count()).resolves.toBe(1);
  });

  it("edits the message live on the requester's page when an approver clicks Approve", async () => {
    const rita = await open('rita');
    const ana = await open('ana');
    const id = await rita.requestApproval('Rotate the signing keys');
    await ana.openConversation('approvals');

    await ana.clickButton(ana.approvalMessage(id), 'Approve');

    const onRitasPage = rita.approvalMessage(id).filter({ hasText: 'Approved' });
    await onRitasPage.waitFor();
    await expect(onRitasPage.textContent()).resolves.toContain('✅ Approved by @Ana Approver');
    await expect(onRitasPage.locator('.edited').textContent()).resolves.toBe('(edited)');
    await expect(onRitasPage.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
  });

  it('shows a cancelled request with its ✖️, in the answer and in the message', async () => {
    const rita = await open('rita');
    const id = await rita.requestApproval('Order a standing desk');

    await rita.runCommand(`/greenlight cancel ${id}`);

    const cancelled = rita.approvalMessage(id).filter({ hasText: 'Cancelled' });
    await cancelled.waitFor();
    await expect(cancelled.textContent()).resolves.toContain('✖️ Cancelled');
    await expect(rita.message('Only visible to you', `Cancelled ${id}`).textContent()).resolves.toContain(
      '✖️ Cancelled',
    );
    await expect(rita.page.locator('#messages').textContent()).resolves.not.toContain(
      ':heavy_multiplication_x:',
    );
  });

  it('opens the modal views.open sends for /greenlight, shows the errors the app answers under their input, and submits it', async () => {
    const rita = await open('rita');
    await rita.openConversation('approvals');

    await rita.runCommand('/greenlight');
    await rita.modal().getByRole('heading', { name: 'Ask for approval' }).waitFor();
    await rita.fillModal({ 'What needs approval?': '   ', Approvers: 'Ana Approver' });
    await rita.submitModal();
    await rita.modal().getByText('Say what needs approval.').waitFor();
    const invalid = await rita.modal().getByLabel('What needs approval?').getAttribute('aria-invalid');
    await rita.fillModal({ 'What needs approval?': 'A second monitor' });
    await rita.submitModal();
    await rita.modal().waitFor({ state: 'hidden' });

    expect(invalid).toBe('true');
    const posted = rita
      .messages()
      .filter({ has: rita.page.getByRole('heading', { name: 'A second monitor' }) });
    await posted.getByRole('button', { name: 'Approve' }).waitFor();
    await expect(posted.locator('.bk-fields').textContent()).resolves.toContain('@Ana Approver');
  });

  it('delivers a reply typed in a thread to the app as an Events API event', async () => {
    const rita = await open('rita');
    const id = await rita.requestApproval('Thread check');

    await rita.openThread(rita.approvalMessage(id));
    await rita.replyInThread('Any update on this?');

    const reply = rita.thread().locator('article').filter({ hasText: 'Any update on this?' }).first();
    await reply.getByText('Delivered to the app as an Events API message event (HTTP 200).').waitFor();
    await expect(rita.approvalMessage(id).locator('.thread-summary').textContent()).resolves.toMatch(
      /^1 reply from/,
    );
  });

  it('suggests people after @ as Slack does, and a pick puts <@U…> in the command the app receives', async () => {
    const rita = await open('rita');
    await rita.openConversation('approvals');
    const suggestions = rita.page.getByRole('listbox', { name: 'People and groups to mention' });

    await rita.composer.pressSequentially('/greenlight request "Mention check" @an');
    const offered = await suggestions.getByRole('option').allTextContents();
    await rita.composer.press('Enter');
    const afterPick = await rita.composer.inputValue();
    await rita.composer.press('Enter');

    expect(offered).toEqual(['Ana Approver @ana']);
    expect(afterPick).toBe('/greenlight request "Mention check" <@U0APPROVER> ');
    const posted = rita.messages().filter({ has: rita.page.getByRole('heading', { name: 'Mention check' }) });
    await posted.getByRole('button', { name: 'Approve' }).waitFor();
    await expect(posted.locator('.bk-fields').textContent()).resolves.toContain('Approvers@Ana Approver');
  });

  it('suggests user groups after @, and a pick sends <!subteam^S…|@handle>, which makes its members approvers', async () => {
    const rita = await open('rita');
    await rita.openConversation('approvals');
    const suggestions = rita.page.getByRole('listbox', { name: 'People and groups to mention' });

    await rita.composer.pressSequentially('/greenlight request "Group check" @rel');
    const offered = await suggestions.getByRole('option').allTextContents();
    await rita.composer.press('Enter');
    const afterPick = await rita.composer.inputValue();
    await rita.composer.pressSequentially('--need 2');
    await rita.composer.press('Enter');

    expect(offered).toEqual(['Release managers @release-managers']);
    expect(afterPick).toBe('/greenlight request "Group check" <!subteam^S0RELEASE|@release-managers> ');
    const posted = rita.messages().filter({ has: rita.page.getByRole('heading', { name: 'Group check' }) });
    await posted.getByRole('button', { name: 'Approve' }).waitFor();
    await expect(posted.locator('.bk-fields').textContent()).resolves.toContain('@Cleo Approver');
  });

  it('picks a suggestion with the arrows or the mouse, and Escape closes the list without sending', async () => {
    const rita = await open('rita');
    await rita.openConversation('general');
    const suggestions = rita.page.getByRole('listbox', { name: 'People and groups to mention' });

    await rita.composer.pressSequentially('thanks @');
    const everyone = await suggestions.getByRole('option').allTextContents();
    await rita.composer.press('ArrowDown');
    const active = await rita.composer.getAttribute('aria-activedescendant');
    const activeText = await rita.page.locator(`[id="${active}"]`).textContent();
    await rita.composer.press('Escape');
    const closedByEscape = await suggestions.isHidden();
    const stillThere = await rita.composer.inputValue();
    await rita.composer.pressSequentially('om');
    await suggestions.getByRole('option', { name: /Omar Approver/ }).click();
    const afterClick = await rita.composer.inputValue();

    expect(everyone).toEqual([
      'Rita Requester @rita',
      'Ana Approver @ana',
      'Omar Approver @omar',
      'Sam Bystander @sam',
      'Cleo Approver @cleo',
      'Release managers @release-managers',
    ]);
    expect(activeText).toBe('Ana Approver @ana');
    expect(closedByEscape).toBe(true);
    expect(stillThere).toBe('thanks @');
    expect(afterClick).toBe('thanks <@U0APPROVR2> ');
    await rita.composer.press('Enter');
    await rita.message('thanks', '@Omar Approver').waitFor();
  });

  it('shows text from a message as text: markup in it is never run or rendered', async () => {
    const rita = await open('rita');

    const id = await rita.requestApproval('<img src=x onerror=window.injected=1> & <b>bold</b>');

    await expect(rita.approvalMessage(id).getByRole('heading').textContent()).resolves.toBe(
      '<img src=x onerror=window.injected=1> & <b>bold</b>',
    );
    await expect(rita.page.locator('#messages img[src="x"], #messages b').count()).resolves.toBe(0);
    await expect(
      rita.page.evaluate(() => (window as unknown as { injected?: number }).injected),
    ).resolves.toBeUndefined();
  });
});
