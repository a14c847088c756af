import type { StackOptions } from '@greenlight/local-stack/stack';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, saveScreenshot } from './browser';
import { TestStack } from './local-stack';
import { ANA } from './people';

export type ToolName = 'Thread' | 'WebSocket' | 'E-mail' | 'Workflows';

/**
 * One stack and one Chromium for an e2e file; each `open()` is a fresh browser context on the
 * sandbox page, so several people can watch the same workspace side by side.
 */
export class SandboxSession {
  private readonly pages: SandboxPage[] = [];

  private constructor(
    readonly stack: TestStack,
    readonly browser: Browser,
  ) {}

  static async start(options: Partial<StackOptions> = {}): Promise<SandboxSession> {
    const stack = await TestStack.start(options);
    try {
      // The first request loads the Slack function (its cold start) and builds the page's bundle,
      // so the first command a test types meets a warm app, as Slack's 3 s deadline assumes.
      await Promise.all([stack.slashCommand('help'), fetch(`${stack.endpoints.sandbox}/app.js`)]);
      return new SandboxSession(stack, await launchChromium());
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }

  /** The sandbox page acting as `as` (a user name such as `rita`, or an id). */
  async open(options: { as?: string; width?: number; height?: number } = {}): Promise<SandboxPage> {
    const context = await this.browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const sandbox = new SandboxPage(page, this.stack);
    this.pages.push(sandbox);
    await page.goto(
      `${this.stack.endpoints.sandbox}/${options.as ? `?as=${encodeURIComponent(options.as)}` : ''}`,
    );
    await sandbox.waitUntilActingAs(options.as ?? 'rita');
    return sandbox;
  }

  /**
   * Call in `afterEach`: saves a screenshot of every page the test opened (the CI artifacts, in
   * test-artifacts/sandbox/, named after the test), then closes them.
   */
  async endTest(): Promise<void> {
    const pages = this.pages.splice(0);
    await Promise.all(
      pages.map(async (sandbox, index) => {
        await sandbox.screenshot(index === 0 ? undefined : `page ${index + 1}`).catch(() => undefined);
        await sandbox.page.context().close();
      }),
    );
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.stack.stop();
  }
}

/** Drives the sandbox page as a person would: through labels, roles and visible text. */
export class SandboxPage {
  constructor(
    readonly page: Page,
    private readonly stack: TestStack,
  ) {}

  userId(nameOrId: string): string {
    const user = this.stack.endpoints.users.find(
      (candidate) => candidate.name === nameOrId || candidate.id === nameOrId,
    );
    if (user === undefined) throw new Error(`no user ${nameOrId} in the workspace`);
    return user.id;
  }

  async waitUntilActingAs(nameOrId: string): Promise<void> {
    await this.page.locator(`body[data-acting-as="${this.userId(nameOrId)}"]`).waitFor();
  }

  /** Switches the person the page acts as, with the "Acting as" control, and waits for their view. */
  async actAs(nameOrId: string): Promise<void> {
    await this.page.getByLabel('Acting as').selectOption(this.userId(nameOrId));
    await this.waitUntilActingAs(nameOrId);
  }

  get composer(): Locator {
    return this.page.getByLabel('Message or slash command');
  }

  /** Opens a conversation from the sidebar: `approvals` for #approvals, `Greenlight (app)` for the DM. */
  async openConversation(name: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name }).click();
    await this.page.locator('#conversation-title').filter({ hasText: name }).waitFor();
  }

  /**
   * `/greenlight request "<title>" <@ana> [flags]` from the composer in #approvals: waits for the
   * ephemeral answer and for the approval message with its buttons; resolves with the request id,
   * which also names the approval workflow's execution.
   */
  async requestApproval(title: string, flags = ''): Promise<string> {
    await this.openConversation('approvals');
    await this.runCommand(`/greenlight request "${title}" <@${ANA}> ${flags}`.trim());
    const answer = await this.message('Only visible to you', title).textContent();
    const id = /GL-[0-9A-Z]{6}/.exec(answer ?? '')?.[0];
    if (id === undefined) throw new Error(`no request id in "${answer}"`);
    // The message is posted by the approval workflow's first task, after the command's answer: on
    // DynamoDB Local or a busy machine that can take longer than Playwright's default 10 s.
    await this.message(id, title).getByRole('button', { name: 'Approve' }).waitFor({ timeout: 30_000 });
    return id;
  }

  /** The approval message of request `id` in the open conversation. */
  approvalMessage(id: string): Locator {
    return this.messages()
      .filter({ has: this.page.getByRole('heading') })
      .filter({ hasText: id })
      .last();
  }

  /** Types into the composer and presses Enter; resolves once the page has its answer. */
  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
    await this.page.locator('#composer button[type="submit"]:not([disabled])').waitFor();
  }

  /** A slash command, e.g. `/greenlight request Deploy`, sent signed through the REST emulation. */
  runCommand(text: string): Promise<void> {
    if (!text.startsWith('/')) throw new Error('a slash command starts with /');
    return this.send(text);
  }

  /** The messages of the open conversation (ephemerals and Slackbot notes included). */
  messages(): Locator {
    return this.page.locator('#messages > article');
  }

  /** The latest message of the open conversation that shows every one of `texts`. */
  message(...texts: Array<string | RegExp>): Locator {
    return texts.reduce((found, text) => found.filter({ hasText: text }), this.messages()).last();
  }

  /** Clicks a Block Kit button in a message; `confirm` names the confirm dialog's button to press. */
  async clickButton(message: Locator, label: string, options: { confirm?: string } = {}): Promise<void> {
    await message.getByRole('button', { name: label, exact: true }).click();
    if (options.confirm !== undefined) {
      await this.confirmDialog().getByRole('button', { name: options.confirm, exact: true }).click();
    }
  }

  confirmDialog(): Locator {
    return this.page.locator('dialog#confirm');
  }

  /** The open modal (views.open), as a dialog. */
  modal(): Locator {
    return this.page.locator('dialog#modal');
  }

  /** Fills a modal's inputs by their labels: text for text inputs, an option's label for selects. */
  async fillModal(values: Record<string, string>): Promise<void> {
    for (const [label, value] of Object.entries(values)) {
      const control = this.modal().getByLabel(label, { exact: true });
      if ((await control.evaluate((element) => element.tagName)) === 'SELECT') {
        await control.selectOption({ label: value });
      } else {
        await control.fill(value);
      }
    }
  }

  async submitModal(): Promise<void> {
    await this.modal().locator('button[type="submit"]').click();
  }

  /** Opens a message's thread in the Thread tab. */
  async openThread(message: Locator): Promise<void> {
    await message.locator('.message-footer button').click();
    await this.page.locator('#thread-title').waitFor();
  }

  thread(): Locator {
    return this.page.locator('#panel-thread');
  }

  /** A reply in the open thread, posted as the acting person and delivered to the app as an event. */
  async replyInThread(text: string): Promise<void> {
    const input = this.thread().getByLabel('Reply in thread');
    await input.fill(text);
    await input.press('Enter');
    await this.thread().locator('button[type="submit"]:not([disabled])').waitFor();
  }

  async openTool(name: ToolName): Promise<Locator> {
    await this.page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
    const panel = this.page.getByRole('tabpanel', { name: new RegExp(`^${name}`) });
    await panel.waitFor();
    return panel;
  }

  /** An execution in the Workflows tab by its name (the approval workflow's is the request id). */
  execution(name: string): Locator {
    return this.page.locator(`details.execution[data-execution="${name}"]`);
  }

  /** Opens an execution's state-by-state history; resolves with its states' names, in order. */
  async openExecution(name: string): Promise<string[]> {
    const execution = this.execution(name);
    if ((await execution.getAttribute('open')) === null) await execution.locator(':scope > summary').click();
    return execution.locator('.step-name').allTextContents();
  }

  /** The page as a test artifact, named after the current test (plus `suffix`). */
  screenshot(suffix?: string): Promise<string> {
    return saveScreenshot(this.page, suffix);
  }
}
