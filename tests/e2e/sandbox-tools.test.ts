import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { requestApproval } from '../helpers/sandbox-fixture-app';
import { SandboxSession } from '../helpers/sandbox-page';

jest.setTimeout(60_000);

/** The sandbox's tool panes in Chromium: the SES outbox, the workflow executions, the WebSocket client. */
describe('the sandbox tools', () => {
  let session: SandboxSession;

  beforeAll(async () => {
    session = await SandboxSession.start();
  });

  afterEach(() => session.endTest());

  afterAll(() => session.stop());

  it("renders each e-mail in a sandboxed frame whose link opens a confirmation page, and only that page's POST decides", async () => {
    const rita = await session.open({ as: 'rita' });
    const id = await requestApproval(rita, 'Renew the TLS certificate');

    const outbox = await rita.openTool('E-mail');
    await outbox.getByRole('button', { name: /Approval requested: Renew the TLS certificate/ }).click();
    const frame = outbox.locator('iframe.email-frame');
    const sandboxed = await frame.getAttribute('sandbox');
    const email = rita.page.frameLocator('iframe.email-frame');
    await email.getByRole('heading', { name: 'Approval requested' }).waitFor();
    const [confirmation] = await Promise.all([
      rita.page.waitForEvent('popup'),
      email.getByRole('link', { name: `Review ${id}` }).click(),
    ]);
    await confirmation.waitForLoadState();
    const stillPending = await rita
      .message(id, 'Approval requested')
      .getByRole('button', { name: 'Approve' })
      .count();
    await confirmation.getByRole('button', { name: `Approve ${id}` }).click();
    await confirmation.getByRole('heading', { name: `${id} approved` }).waitFor();

    expect(sandboxed).toBe('allow-popups allow-popups-to-escape-sandbox');
    expect(stillPending).toBe(1);
    await rita.message(id, 'Approved by the e-mail link').waitFor();
    await expect(outbox.getByRole('link', { name: `Review ${id}` }).getAttribute('href')).resolves.toBe(
      confirmation.url(),
    );
    await confirmation.close();
  });

  it('lists a running execution waiting on its task token, then its state-by-state history once it succeeds', async () => {
    const rita = await session.open({ as: 'rita' });
    const id = await requestApproval(rita, 'Order more coffee');

    const workflows = await rita.openTool('Workflows');
    const execution = rita.execution(id);
    await execution.locator(':scope > summary .status-running').waitFor();
    const whileWaiting = await rita.openExecution(id);
    const waitingNote = await execution.locator('.step-note').first().textContent();
    await rita.actAs('ana');
    await rita.clickButton(rita.message(id, 'Approval requested'), 'Approve');
    await execution.locator(':scope > summary .status-succeeded').waitFor();

    expect(whileWaiting).toEqual(['Announce']);
    expect(waitingNote).toBe('waiting for a task token');
    await expect(rita.openExecution(id)).resolves.toEqual(['Announce', 'Record', 'Decide', 'Approved']);
    await expect(execution.locator('.step-succeeded').count()).resolves.toBe(4);
    const { Item } = await session.stack.stack.dynamodb.client.send(
      new GetItemCommand({ TableName: 'DemoTable', Key: { pk: { S: id } } }),
    );
    const taskToken = Item?.taskToken?.S ?? '';
    expect(taskToken).not.toBe('');
    await expect(workflows.textContent()).resolves.not.toContain(taskToken);
  });

  it('connects the WebSocket client with a token minted for the acting person, sends, and shows the reply', async () => {
    const ana = await session.open({ as: 'ana' });

    const panel = await ana.openTool('WebSocket');
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();
    await panel.getByText('Connected as Ana Approver').waitFor();
    await panel.getByLabel('Message', { exact: true }).fill('hello from the sandbox');
    await panel.getByRole('button', { name: 'Send frame' }).click();
    const reply = panel.locator('.frame-received').filter({ hasText: '"echo"' });
    await reply.waitFor();

    await expect(reply.textContent()).resolves.toContain('"message": "hello from the sandbox"');
    await expect(panel.locator('.frame-sent').textContent()).resolves.toContain('"action": "sendmessage"');
    expect(session.stack.stack.websocket.connections()).toHaveLength(1);
    await expect(ana.page.locator('body').textContent()).resolves.not.toMatch(/token=/);
    await panel.getByRole('button', { name: 'Disconnect' }).click();
    await panel.getByText(/^Closed \(1000/).waitFor();
  });
});
