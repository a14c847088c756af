import { describe, expect, it } from '@jest/globals';
import { ModalStacks, respondedView } from '../../../src/sandbox/modal-stacks';
import type { SlackView, ViewRecord } from '../../../src/slack-api';
import { SlackApiError } from '../../../src/slack-api/slack-api-error';

function view(id: string, previous: string | null = null): SlackView {
  return {
    id,
    team_id: 'T',
    type: 'modal',
    title: { type: 'plain_text', text: id },
    blocks: [],
    close: null,
    submit: null,
    private_metadata: '',
    callback_id: 'cb',
    external_id: '',
    state: { values: {} },
    hash: `h-${id}`,
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: previous ?? id,
    previous_view_id: previous,
    app_id: 'A',
    app_installed_team_id: 'T',
    bot_id: 'B',
  };
}

const record = (modal: SlackView): ViewRecord => ({
  view: modal,
  userId: 'U1',
  openedAt: '2026-11-22T12:00:00Z',
});

function stacks() {
  const changes: Array<[string, string[]]> = [];
  const modals = new ModalStacks((user, views) => changes.push([user, views.map((modal) => modal.id)]));
  return { modals, changes };
}

describe("each person's stack of open modals", () => {
  it('starts with views.open and grows with views.push, for the person whose trigger opened it', () => {
    const { modals, changes } = stacks();

    modals.opened(record(view('V1')));
    modals.opened(record(view('V2', 'V1')));
    modals.opened({ ...record(view('V9')), userId: undefined });

    expect(modals.stack('U1').map((modal) => modal.id)).toEqual(['V1', 'V2']);
    expect(changes).toEqual([
      ['U1', ['V1']],
      ['U1', ['V1', 'V2']],
    ]);
  });

  it('closes the submitted view, back to the one under it, and clears them all on request', () => {
    const { modals } = stacks();
    modals.opened(record(view('V1')));
    modals.opened(record(view('V2', 'V1')));

    modals.apply('U1', 'V2', { kind: 'close' });
    const afterClose = modals.stack('U1').map((modal) => modal.id);
    modals.apply('U1', 'V1', { kind: 'clear' });

    expect(afterClose).toEqual(['V1']);
    expect(modals.stack('U1')).toEqual([]);
  });

  it("replaces a view the app updates, by views.update or by a submission's answer", () => {
    const { modals } = stacks();
    modals.opened(record(view('V1')));
    const updated = { ...view('V1'), hash: 'new' };

    modals.updated(record(updated));
    const pushed = respondedView(
      updated,
      { type: 'modal', title: { type: 'plain_text', text: 'Step 2' }, blocks: [] },
      'push',
    );
    modals.apply('U1', 'V1', { kind: 'push', view: pushed });

    expect(modals.stack('U1').map((modal) => [modal.hash === 'new', modal.previous_view_id])).toEqual([
      [true, null],
      [false, 'V1'],
    ]);
  });

  it('refuses a view in an answer that Slack would refuse', () => {
    expect(() => respondedView(view('V1'), { type: 'modal', blocks: [] }, 'update')).toThrow(SlackApiError);
  });
});
