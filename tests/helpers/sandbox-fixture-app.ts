import type { SandboxPage } from './sandbox-page';

/**
 * `/greenlight request <title>` against the sandbox fixture app (tests/fixtures/sandbox): waits for
 * its ephemeral answer and for the approval message its workflow posts; resolves with the request
 * id (`DEMO-…`), which also names the workflow execution.
 */
export async function requestApproval(page: SandboxPage, title: string): Promise<string> {
  await page.runCommand(`/greenlight request ${title}`);
  const text = await page.message(/Started DEMO-/, title).textContent();
  const id = /Started (DEMO-\w+)/.exec(text ?? '')?.[1];
  if (id === undefined) throw new Error(`no request id in "${text}"`);
  await page.message(id, 'Approval requested').waitFor();
  return id;
}
