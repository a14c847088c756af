import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type SlackApi, startSlackApi } from '../../src/slack-api';
import { compareTs } from '../../src/slack-api/message-ts';
import { ALICE, APPROVALS, BOB, TEST_WORKSPACE, webClientFor } from '../helpers/slack-api-workspace';

describe('the Slack stand-in in persistent mode', () => {
  let dataDir: string;
  let dataFile: string;
  let api: SlackApi | undefined;

  // A new port each start: a pooled keep-alive socket to the stopped server must not be reused.
  const start = async () => {
    api = await startSlackApi({ ...TEST_WORKSPACE, port: 0, dataFile });
    return api;
  };
  const restart = async () => {
    await api?.close();
    return start();
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'greenlight-slack-data-'));
    dataFile = join(dataDir, 'slack', 'workspace.json');
  });

  afterEach(async () => {
    await api?.close();
    api = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps channels, messages, threads and DMs across a restart, and the app can still update them', async () => {
    const first = await start();
    const slack = webClientFor(first);
    const root = await slack.chat.postMessage({ channel: APPROVALS, text: 'Deploy?', blocks: [] });
    await slack.chat.postMessage({ channel: APPROVALS, text: 'a reply', thread_ts: root.ts ?? '' });
    const dm = await slack.conversations.open({ users: BOB });
    await slack.chat.postMessage({ channel: dm.channel?.id ?? '', text: 'your request' });
    first.postAsUser({ userId: ALICE, channel: APPROVALS, text: 'on it', threadTs: root.ts ?? '' });

    const second = await restart();
    const again = webClientFor(second);
    const thread = await again.conversations.replies({ channel: APPROVALS, ts: root.ts ?? '' });
    expect(thread.messages?.map((message) => message.text)).toEqual(['Deploy?', 'a reply', 'on it']);
    expect(second.messages(dm.channel?.id ?? '').map((message) => message.text)).toEqual(['your request']);
    expect((await again.conversations.open({ users: BOB })).channel?.id).toBe(dm.channel?.id);

    const updated = await again.chat.update({ channel: APPROVALS, ts: root.ts ?? '', text: 'Deployed' });
    expect(updated.ok).toBe(true);
    expect(second.messages(APPROVALS)[0]?.text).toBe('Deployed');
    // New messages sort after the old ones, whatever the clock says.
    const later = await again.chat.postMessage({ channel: APPROVALS, text: 'after the restart' });
    expect(compareTs(later.ts ?? '', root.ts ?? '')).toBeGreaterThan(0);
  });

  it('keeps the modals opened before a restart, so views.update still finds them', async () => {
    const first = await start();
    const trigger = first.createTriggerId({ userId: ALICE });
    const opened = await webClientFor(first).views.open({
      trigger_id: trigger,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Reject' }, blocks: [] },
    });

    const second = await restart();
    const updated = await webClientFor(second).views.update({
      view_id: opened.view?.id ?? '',
      view: { type: 'modal', title: { type: 'plain_text', text: 'Rejected' }, blocks: [] },
    });
    expect(updated.view?.id).toBe(opened.view?.id);
    expect(second.views().map((record) => record.view.title)).toEqual([
      { type: 'plain_text', text: 'Rejected' },
    ]);
  });

  it('refuses to start on a damaged workspace file, naming it', async () => {
    await webClientFor(await start()).chat.postMessage({ channel: APPROVALS, text: 'kept' });
    await api?.close();
    api = undefined;
    writeFileSync(dataFile, readFileSync(dataFile, 'utf8').replace('kept', 'lost'));

    await expect(start()).rejects.toThrow(`${dataFile} is damaged (checksum mismatch)`);
  });

  it('writes nothing without a data file', async () => {
    dataFile = join(dataDir, 'unused', 'workspace.json');
    api = await startSlackApi({ ...TEST_WORKSPACE, port: 0 });
    await webClientFor(api).chat.postMessage({ channel: APPROVALS, text: 'in memory' });
    expect(existsSync(join(dataDir, 'unused'))).toBe(false);
  });
});
