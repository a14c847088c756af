import { randomBytes } from 'node:crypto';
import { validateBlocks } from './block-kit-validator';
import type { ChangeFeed } from './change-feed';
import { eventCallback } from './events-api-payload';
import { problemAt, SlackApiError } from './slack-api-error';
import type { ChannelRecord, Clock, SlackView } from './types';
import type { AppIdentity } from './workspace';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a Home view as `views.publish` does: `type: home`, and at most 100 valid blocks. */
function validateHomeView(view: unknown): Record<string, unknown> {
  if (!isRecord(view))
    throw new SlackApiError('invalid_arguments', [problemAt('/view', 'must provide an object')]);
  const problems: string[] = [];
  if (view.type !== 'home') problems.push(problemAt('/view/type', 'must be home'));
  if (view.blocks === undefined) problems.push(problemAt('/view', 'missing required field: blocks'));
  else problems.push(...validateBlocks(view.blocks, 'home', '/view/blocks'));
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    problems.push(problemAt('/view/private_metadata', 'must be less than 3001 characters'));
  }
  if (problems.length > 0) throw new SlackApiError('invalid_arguments', problems);
  return view;
}

/**
 * Each person's App Home tab, as `views.publish` leaves it: one view per person, replaced by every
 * publish (its id kept, its hash renewed), and the `app_home_opened` event Slack sends when they
 * open it. Kept in memory: after a restart the next opening of the Home publishes it again.
 */
export class HomeTabs {
  private readonly homes = new Map<string, SlackView>();
  private counter = 0;
  /** views.publish calls answered, for the tests and the bench. */
  published = 0;

  constructor(
    private readonly identity: AppIdentity,
    private readonly now: Clock,
    private readonly feed: ChangeFeed,
  ) {}

  publish(payload: unknown, userId: string, hash: string | undefined): SlackView {
    const view = validateHomeView(payload);
    const current = this.homes.get(userId);
    if (hash !== undefined && current !== undefined && hash !== current.hash)
      throw new SlackApiError('hash_conflict');
    this.counter += 1;
    const id = current?.id ?? `VH${String(this.counter).padStart(9, '0')}`;
    const published: SlackView = {
      id,
      team_id: this.identity.teamId,
      type: 'home',
      title: null,
      blocks: Array.isArray(view.blocks) ? view.blocks : [],
      close: null,
      submit: null,
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      external_id: typeof view.external_id === 'string' ? view.external_id : '',
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: id,
      previous_view_id: null,
      app_id: this.identity.appId,
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
    this.homes.set(userId, published);
    this.published += 1;
    this.feed.emit({ type: 'home_published', userId, view: structuredClone(published) });
    return structuredClone(published);
  }

  get(userId: string): SlackView | undefined {
    const view = this.homes.get(userId);
    return view === undefined ? undefined : structuredClone(view);
  }
}

/** The `event_callback` Slack sends when `userId` opens the app's Home tab (in their DM with the app). */
export function appHomeOpenedCallback(
  identity: AppIdentity,
  input: { userId: string; dm: ChannelRecord; view: SlackView | undefined; eventId: string; nowMs: number },
): Record<string, unknown> {
  const eventTs = `${Math.floor(input.nowMs / 1000)}.${String(input.nowMs % 1000).padStart(3, '0')}000`;
  const event = {
    type: 'app_home_opened',
    user: input.userId,
    channel: input.dm.id,
    tab: 'home',
    event_ts: eventTs,
    ...(input.view ? { view: input.view } : {}),
  };
  return eventCallback(identity, event, input.eventId, Math.floor(input.nowMs / 1000), {
    context_team_id: identity.teamId,
    context_enterprise_id: null,
  });
}
