import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type SandboxPage, SandboxSession } from '../helpers/sandbox-page';

jest.setTimeout(60_000);

/**
 * The product itself (template.yaml: the real Slack function, workflows, e-mail links and WebSocket
 * bridge) driven through the sandbox page in Chromium, as a newcomer would use it.
 */
describe('Greenlight in the sandbox', () => {
  let session: SandboxSession;

  beforeAll(async () => {
    session = await SandboxSession.start();
  });

  afterEach(() => session.endTest());

  afterAll(() => session.stop());

  async function executionSucceeded(page: SandboxPage, id: string): Promise<string[]> {
    await page.openTool('Workflows');
    await page.execution(id).locator(':scope > summary .status-succeeded').waitFor();
    return page.openExecution(id);
  }

  it('requests from the composer; the approver clicks Approve; the message updates and the workflow succeeds', async () => {
    const page = await session.open({ as: 'rita' });
    const id = await page.requestApproval('Deploy v2 to prod');

    await page.actAs('ana');
    await page.clickButton(page.message(id, 'Deploy v2 to prod'), 'Approve');
    const decided = page.message(id, 'Approved');
    await decided.waitFor();

    await expect(decided.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
    await expect(executionSucceeded(page, id)).resolves.toEqual(
      expect.arrayContaining(['RequestDecision', 'AnnounceOutcome', 'Outcome']),
    );
    await page.screenshot();
  });

  it('rejects with a comment through the confirmation modal', async () => {
    const page = await session.open({ as: 'rita' });
    const id = await page.requestApproval('Buy 40 GPUs');

    await page.actAs('ana');
    await page.clickButton(page.message(id, 'Buy 40 GPUs'), 'Reject…');
    await page.modal().waitFor();
    await page.modal().locator('textarea').fill('Not this quarter');
    await page.screenshot('modal');
    await page.submitModal();
    const decided = page.message(id, 'Rejected');
    await decided.waitFor();

    await expect(decided.textContent()).resolves.toContain('Not this quarter');
    await expect(decided.getByRole('button', { name: 'Reject…' }).count()).resolves.toBe(0);
    await executionSucceeded(page, id);
    await page.screenshot();
  });

  it('approves through the e-mailed link: its page only confirms, and its button decides', async () => {
    const page = await session.open({ as: 'rita' });
    const id = await page.requestApproval('Renew the TLS certificate', '--email');

    const outbox = await page.openTool('E-mail');
    await outbox
      .getByRole('button', { name: new RegExp(`Approval needed: Renew the TLS certificate \\(${id}\\)`) })
      .click();
    const sandboxed = await outbox.locator('iframe.email-frame').getAttribute('sandbox');
    const email = page.page.frameLocator('iframe.email-frame');
    const [confirmation] = await Promise.all([
      page.page.waitForEvent('popup'),
      email.getByRole('link', { name: 'Approve…' }).click(),
    ]);
    await confirmation.getByRole('heading', { name: 'Approve this request?' }).waitFor();
    const stillPending = await page
      .message(id, 'Renew the TLS certificate')
      .getByRole('button', { name: 'Approve' })
      .count();
    await confirmation.getByRole('button', { name: 'Approve' }).click();
    await confirmation.getByRole('heading', { name: 'Approved. Thank you.' }).waitFor();
    await confirmation.close();

    expect(sandboxed).toBe('allow-popups allow-popups-to-escape-sandbox');
    expect(stillPending).toBe(1);
    await page.message(id, 'Approved').waitFor();
    await executionSucceeded(page, id);
    await page.screenshot();
  });

  it('connects the WebSocket panel, mirrors it into Slack, and a reply typed in the thread comes back', async () => {
    const page = await session.open({ as: 'ana' });
    const panel = await page.openTool('WebSocket');
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();
    await panel.getByText('Connected as Ana Approver').waitFor();
    await panel.getByLabel('Message', { exact: true }).fill('hello from the browser');
    await panel.getByRole('button', { name: 'Send frame' }).click();

    await page.openConversation('websocket-mirror');
    const root = page.message('connected over WebSocket');
    await root.waitFor();
    await page.openThread(root);
    await page.thread().getByText('hello from the browser').waitFor();
    await page.replyInThread('hi back from Slack');
    // The panel keeps its frames while the Thread tab is shown.
    const reply = page.page.locator('#panel-websocket .frame-received').filter({ hasText: '"reply"' });
    await reply.waitFor({ state: 'attached' });

    await expect(reply.textContent()).resolves.toContain('hi back from Slack');
    // The connection token travels in the URL's query; the panel shows neither.
    await expect(page.page.locator('#panel-websocket').textContent()).resolves.not.toMatch(/token=/);
    await page.screenshot();
  });
});
