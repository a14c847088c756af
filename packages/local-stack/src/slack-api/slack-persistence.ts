import { readSnapshot, writeSnapshot } from '../durable-file';
import type { ResponseUrls, ResponseUrlsSnapshot } from './response-urls';
import type { ViewStore, ViewStoreSnapshot } from './view-store';
import type { Workspace, WorkspaceSnapshot } from './workspace';

interface SlackState {
  version: 1;
  workspace: WorkspaceSnapshot;
  views: ViewStoreSnapshot;
  responseUrls: ResponseUrlsSnapshot;
}

interface Parts {
  workspace: Workspace;
  views: ViewStore;
  responseUrls: ResponseUrls;
}

function isSlackState(value: unknown): value is SlackState {
  const state = value as Partial<SlackState> | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    state.version === 1 &&
    Array.isArray(state.workspace?.channels) &&
    Array.isArray(state.workspace?.messages) &&
    Array.isArray(state.views?.records) &&
    Array.isArray(state.responseUrls?.grants)
  );
}

/**
 * The stand-in's workspace on disk (channels, messages and threads, ephemerals, modals,
 * response_urls), so a restart of the local stack finds the messages the app will update.
 *
 * The whole state is one snapshot, written after every call that changed it and before the
 * caller gets its answer: what a caller was told happened is on disk. Trigger ids (3 s) and the
 * Events API delivery log are not kept.
 */
export class SlackPersistence {
  private written = '';

  constructor(
    private readonly path: string,
    private readonly parts: Parts,
  ) {}

  /** Restores the last snapshot; a damaged one stops the start (DamagedFileError names the file). */
  load(): void {
    const state = readSnapshot(this.path, (message) => console.warn(`slack-api: ${message}`));
    if (state === undefined) return;
    if (!isSlackState(state)) {
      throw new Error(`${this.path} is not a Slack workspace snapshot this version can read; move it aside`);
    }
    this.parts.workspace.restore(state.workspace);
    this.parts.views.restore(state.views);
    this.parts.responseUrls.restore(state.responseUrls);
    this.written = this.serialize();
  }

  /** Writes the state if it changed since the last write. */
  save(): void {
    const body = this.serialize();
    if (body === this.written) return;
    writeSnapshot(this.path, body);
    this.written = body;
  }

  private serialize(): string {
    const state: SlackState = {
      version: 1,
      workspace: this.parts.workspace.snapshot(),
      views: this.parts.views.snapshot(),
      responseUrls: this.parts.responseUrls.snapshot(),
    };
    return JSON.stringify(state);
  }
}
