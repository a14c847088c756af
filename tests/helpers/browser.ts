import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; CI installs it (.ci/run). A downloaded browser is never used. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Screenshots of the e2e tests land here (git-ignored), one per test. */
export const ARTIFACTS_DIR = join('test-artifacts', 'sandbox');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

function fileName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 110);
}

/** Saves the page as `test-artifacts/sandbox/<current test's name>[-suffix].png`. */
export async function saveScreenshot(page: Page, suffix?: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const base = fileName(expect.getState().currentTestName ?? 'screenshot');
  const path = join(ARTIFACTS_DIR, `${base}${suffix ? `-${fileName(suffix)}` : ''}.png`);
  await page.screenshot({ path });
  return path;
}
