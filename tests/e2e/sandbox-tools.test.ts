import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SandboxSession } from '../helpers/sandbox-page';

jest.setTimeout(60_000);

/** The sandbox's Workflows pane in Chromium, on the product's real approval workflow. */
describe('the Workflows pane', () => {
  let session: SandboxSession;

  beforeAll(async () => {
    session = await SandboxSession.start();
  });

  afterEach(() => session.endTest());

  afterAll(() => session.stop());

  it('lists a running execution waiting on its task token, then its state-by-state history once it succeeds', async () => {
    const rita = await session.open({ as: 'rita' });
    const id = await rita.requestApproval('Order more coffee');

    const { Item } = await session.stack.stack.dynamodb.client.send(
      new GetItemCommand({ TableName: 'ApprovalsTable', Key: { pk: { S: id } } }),
    );
    const taskToken = Item?.taskToken?.S ?? '';
    const workflows = await rita.openTool('Workflows');
    const execution = rita.execution(id);
    await execution.locator(':scope > summary .status-running').waitFor();
    const whileWaiting = await rita.openExecution(id);
    const waitingNote = await execution.locator('.step-note').first().textContent();
    const paneWhileWaiting = await workflows.textContent();
    await rita.actAs('ana');
    await rita.clickButton(rita.approvalMessage(id), 'Approve');
    await execution.locator(':scope > summary .status-succeeded').waitFor();

    expect(taskToken).not.toBe('');
    expect(paneWhileWaiting).not.toContain(taskToken);
    expect(whileWaiting).toEqual(['HasCorrelationId', 'CheckRequest', 'Arm', 'RequestDecision']);
    expect(waitingNote).toBe('waiting for a task token');
    await expect(rita.openExecution(id)).resolves.toEqual([
      'HasCorrelationId',
      'CheckRequest',
      'Arm',
      'RequestDecision',
      'VerifyCallback',
      'Verdict',
      'AnnounceOutcome',
      'Outcome',
    ]);
    await expect(execution.locator('.outcome').textContent()).resolves.toBe('Outcome: Approved');
    await expect(workflows.textContent()).resolves.not.toContain(taskToken);
  });

  it('shows a rejection as the outcome it is, not as a failure, and clips nothing at 1280 px', async () => {
    const page = await session.open({ as: 'rita', width: 1280, height: 800 });
    const id = await page.requestApproval('Buy 40 GPUs for the research cluster in eu-west-1');
    await page.actAs('ana');
    await page.clickButton(page.approvalMessage(id), 'Reject…');
    await page.modal().locator('textarea').fill('Not this quarter');
    await page.submitModal();
    await page.approvalMessage(id).filter({ hasText: 'Rejected' }).waitFor();

    await page.openTool('Workflows');
    const execution = page.execution(id);
    await execution.locator(':scope > summary .status-succeeded').waitFor();
    await page.openExecution(id);
    const decision = execution.locator('.step').filter({ hasText: 'RequestDecision' });
    const clipped = await page.page.evaluate(() => {
      const panel = document.querySelector('#panel-workflows');
      if (panel === null) return ['no Workflows pane'];
      const right = panel.getBoundingClientRect().right;
      return [...panel.querySelectorAll<HTMLElement>('.execution *')]
        .filter(
          (element) => element.getClientRects().length > 0 && !element.closest('details:not([open]) > pre'),
        )
        .filter((element) => element.getBoundingClientRect().right > right + 0.5)
        .map(
          (element) => `${element.className || element.tagName}: ${(element.textContent ?? '').slice(0, 40)}`,
        );
    });

    expect(clipped).toEqual([]);
    await expect(execution.locator(':scope > summary .execution-name').isVisible()).resolves.toBe(true);
    await expect(execution.locator('.outcome').textContent()).resolves.toBe('Outcome: Rejected');
    await expect(execution.locator('.execution-outcome').textContent()).resolves.toBe(
      'Rejected by Ana Approver: “Not this quarter”',
    );
    await expect(execution.locator('.status-failed, .step-failed, .step-error').count()).resolves.toBe(0);
    await expect(decision.locator('.status').textContent()).resolves.toBe('Caught');
    await expect(decision.locator('.step-caught-note').textContent()).resolves.toBe(
      'Greenlight.Rejected, caught: the workflow went on',
    );
    await expect(decision.getByText('"status"').isVisible()).resolves.toBe(false);
  });
});
