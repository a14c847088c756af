import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { SandboxSession } from '../helpers/sandbox-page';

jest.setTimeout(60_000);

const INTERACTIVE_ROLES = new Set([
  'button',
  'link',
  'textbox',
  'combobox',
  'listbox',
  'checkbox',
  'radio',
  'tab',
  'menuitem',
  'switch',
  'slider',
  'spinbutton',
  'searchbox',
]);

interface AxNode {
  role?: { value?: string };
  name?: { value?: string };
  ignored?: boolean;
}

/** Chromium's own accessibility tree: what a screen reader is given, names computed by the browser. */
async function accessibilityTree(page: Page): Promise<Array<{ role: string; name: string }>> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  await cdp.detach();
  return nodes
    .filter((node) => !node.ignored)
    .map((node) => ({ role: node.role?.value ?? '', name: (node.name?.value ?? '').trim() }));
}

async function unnamedControls(page: Page): Promise<string[]> {
  return (await accessibilityTree(page))
    .filter((node) => INTERACTIVE_ROLES.has(node.role) && node.name === '')
    .map((node) => node.role);
}

/** Every text the page shows whose contrast with what is behind it is under WCAG AA. */
function lowContrastTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const parse = (color: string) => {
      const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
      return { r, g, b, a: color.startsWith('rgba') ? a : 1 };
    };
    const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element: Element) => {
      for (let node: Element | null = element; node; node = node.parentElement) {
        const color = parse(getComputedStyle(node).backgroundColor);
        if (color.a > 0.5) return color;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const failures: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      const ownText = [...element.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '',
      );
      if (
        !ownText ||
        element.closest('[disabled], [hidden], dialog:not([open]), .visually-hidden, .skip-link')
      )
        continue;
      const style = getComputedStyle(element);
      if (element.getClientRects().length === 0 || style.visibility === 'hidden') continue;
      const fore = luminance(parse(style.color));
      const back = luminance(background(element));
      const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) {
        failures.push(
          `${element.tagName.toLowerCase()}.${element.className} "${element.textContent?.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`,
        );
      }
    }
    return failures;
  });
}

describe('the sandbox page for everyone', () => {
  let session: SandboxSession;

  beforeAll(async () => {
    session = await SandboxSession.start();
  });

  afterEach(() => session.endTest());

  afterAll(() => session.stop());

  it('names every control and marks its landmarks, in the conversation and in a modal', async () => {
    const rita = await session.open({ as: 'rita' });
    const auditId = await rita.requestApproval('Accessibility audit');
    await rita.openThread(rita.approvalMessage(auditId));

    const tree = await accessibilityTree(rita.page);
    const unnamedInPage = await unnamedControls(rita.page);
    await rita.runCommand('/greenlight');
    await rita.modal().getByRole('heading', { name: 'Ask for approval' }).waitFor();
    const unnamedInModal = await unnamedControls(rita.page);
    await rita.page.keyboard.press('Escape');
    await rita.modal().waitFor({ state: 'hidden' });

    expect(unnamedInPage).toEqual([]);
    expect(unnamedInModal).toEqual([]);
    expect(
      tree.filter((node) => ['banner', 'navigation', 'main', 'complementary'].includes(node.role)),
    ).toEqual([
      { role: 'banner', name: '' },
      { role: 'navigation', name: 'Conversations' },
      { role: 'main', name: '#approvals' },
      { role: 'complementary', name: 'Tools' },
    ]);
    await expect(rita.page.locator('html').getAttribute('lang')).resolves.toBe('en');
  });

  it('reaches every control with the Tab key and the tabs with the arrow keys, and approves with Enter', async () => {
    const rita = await session.open({ as: 'rita' });
    const id = await rita.requestApproval('Keyboard only');
    await rita.actAs('ana');

    const focusable = await rita.page.evaluate(() => {
      // Controls with tabindex -1 are reached otherwise (the tabs: by arrow keys, checked below).
      const selector =
        'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]';
      const controls = [...document.querySelectorAll<HTMLElement>(selector)]
        .filter((element) => element.getAttribute('tabindex') !== '-1')
        .filter(
          (element) =>
            element.getClientRects().length > 0 && !element.closest('[hidden], dialog:not([open])'),
        );
      controls.forEach((element, index) => {
        element.dataset.probe = String(index);
      });
      return controls.length;
    });
    await rita.page.locator('body').focus();
    const reached = new Set<string>();
    for (let press = 0; press < focusable + 5; press += 1) {
      await rita.page.keyboard.press('Tab');
      const probe = await rita.page.evaluate(
        () => (document.activeElement as HTMLElement | null)?.dataset.probe,
      );
      if (probe !== undefined) reached.add(probe);
    }
    const unreached = await rita.page.evaluate(
      (seen) =>
        [...document.querySelectorAll<HTMLElement>('[data-probe]')]
          .filter((element) => !seen.includes(element.dataset.probe ?? ''))
          .map(
            (element) =>
              `${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim().slice(0, 40)}"`,
          ),
      [...reached],
    );
    await rita.page.getByRole('tab', { name: 'Thread' }).focus();
    await rita.page.keyboard.press('ArrowRight');
    const tabAfterArrow = await rita.page.evaluate(
      () =>
        document.activeElement?.getAttribute('aria-selected') === 'true' &&
        document.activeElement.textContent,
    );
    const approve = rita.approvalMessage(id).getByRole('button', { name: 'Approve' });
    await approve.focus();
    await rita.page.keyboard.press('Enter');

    expect(unreached).toEqual([]);
    expect(tabAfterArrow).toBe('WebSocket');
    expect(reached.size).toBe(focusable);
    await rita.approvalMessage(id).filter({ hasText: 'Approved by @Ana Approver' }).waitFor();
  });

  it('keeps the contrast of every text at WCAG AA or better', async () => {
    const rita = await session.open({ as: 'rita' });
    const id = await rita.requestApproval('Contrast check');
    await rita.openThread(rita.approvalMessage(id));
    await rita.replyInThread('Looks fine');
    const inConversation = await lowContrastTexts(rita.page);
    await rita.openTool('Workflows');
    await rita.openExecution(id);
    const inWorkflows = await lowContrastTexts(rita.page);
    await rita.openTool('E-mail');
    const inOutbox = await lowContrastTexts(rita.page);

    expect({ inConversation, inWorkflows, inOutbox }).toEqual({
      inConversation: [],
      inWorkflows: [],
      inOutbox: [],
    });
  });

  it('works on a narrow screen: nothing scrolls sideways, and a request can be made and approved', async () => {
    const rita = await session.open({ as: 'rita', width: 375, height: 740 });
    const id = await rita.requestApproval('Phone-sized request', '--email');
    await rita.actAs('ana');

    const approve = rita.approvalMessage(id).getByRole('button', { name: 'Approve' });
    const box = await approve.boundingBox();
    await approve.click();
    await rita.approvalMessage(id).filter({ hasText: 'Approved by @Ana Approver' }).waitFor();
    const outbox = await rita.openTool('E-mail');
    const frame = await outbox.locator('iframe.email-frame').boundingBox();
    const overflow = await rita.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

    expect(overflow).toBeLessThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375);
    expect((frame?.x ?? 0) + (frame?.width ?? 0)).toBeLessThanOrEqual(375);
  });
});
