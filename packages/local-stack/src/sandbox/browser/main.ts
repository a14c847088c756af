import type { LiveEvent } from '../protocol';
import { post } from './api';
import { isRecord } from './block-kit/render-context';
import { announce, byId, replaceChildren } from './dom';
import type { PageContext } from './page-context';
import { Store } from './store';
import { attachComposer } from './views/composer';
import { confirmWith } from './views/confirm-dialog';
import { renderConversation } from './views/conversation-view';
import { EmailPanel } from './views/email-panel';
import { openHome, renderHome } from './views/home-tab';
import { ModalDialog } from './views/modal-dialog';
import { shortcutMenu } from './views/shortcut-menu';
import { HOME_ENTRY, renderSidebar } from './views/sidebar';
import { Tabs } from './views/tabs';
import { ThreadPanel } from './views/thread-panel';
import { WebSocketPanel } from './views/websocket-panel';
import { WorkflowBuilderPanel } from './views/workflow-builder-panel';
import { WorkflowsPanel } from './views/workflows-panel';

interface Person {
  id: string;
  name: string;
  realName: string;
  isBot?: boolean;
}

const store = new Store();
const unread = new Set<string>();
let current = '';
let source: EventSource | undefined;

const page: PageContext = {
  store,
  act: (surface, use, values, where) => {
    void (async () => {
      if (isRecord(use.element.confirm) && !(await confirmWith(use.element.confirm, store))) return;
      const result = await post('/api/actions', {
        user: store.me,
        surface,
        blockId: use.blockId,
        actionId: use.actionId,
        ...(use.choice ? { choice: use.choice } : {}),
        values,
      });
      if (!result.ok) store.addNotice(where.channel, result.error, where.threadTs);
    })();
  },
  runShortcut: (callbackId, message) => {
    void (async () => {
      const result = await post('/api/shortcuts', {
        user: store.me,
        callbackId,
        ...(message ? { message } : {}),
      });
      if (!result.ok) store.addNotice(message?.channel ?? current, result.error, message?.threadTs);
    })();
  },
  openThread: (channel, ts) => {
    thread.open(channel, ts);
    tabs.select('thread');
    const panel = byId('panel-thread');
    panel.scrollIntoView({ block: 'nearest' });
    panel.querySelector<HTMLTextAreaElement>('#thread-input')?.focus();
  },
};

const tabs = new Tabs(byId('tool-tabs'));
const thread = new ThreadPanel(page, byId('panel-thread'), () => byId('messages').focus());
const modal = new ModalDialog(store, byId<HTMLDialogElement>('modal'));
const websocketPanel = new WebSocketPanel(store, byId('panel-websocket'));
const emailPanel = new EmailPanel(store, byId('panel-email'));
const workflowsPanel = new WorkflowsPanel(store, byId('panel-workflows'));
const builderPanel = new WorkflowBuilderPanel(store, byId('panel-builder'));

/** The conversation pane shows the current conversation, or the app's Home tab (with no composer). */
function renderMain(): void {
  const onHome = current === HOME_ENTRY;
  byId('composer').hidden = onHome;
  if (onHome) renderHome(page);
  else renderConversation(page, current);
}

function selectConversation(channel: string): void {
  current = channel;
  unread.delete(channel);
  renderSidebar(store, current, unread, selectConversation);
  if (current === HOME_ENTRY) byId('messages').replaceChildren();
  renderMain();
  document.title = `${byId('conversation-title').textContent ?? ''} · Greenlight sandbox`;
  if (current === HOME_ENTRY) void openHome(page);
  else byId('composer-input').focus();
}

/** Keeps the open conversation one the person is in; their DM with the app otherwise. */
function settleCurrent(): void {
  if (current === HOME_ENTRY) return;
  const dm = store.appDm();
  if (current === store.botUserId && dm !== undefined) current = dm.id;
  const isMember = store.channels.has(current) || current === store.botUserId;
  if (!isMember || current === '') {
    const first = [...store.channels.values()].find((channel) => channel.kind === 'public');
    current = first?.id ?? dm?.id ?? store.botUserId;
  }
  // Switching person while in a DM moves to the new person's DM with the app.
  const record = store.channels.get(current);
  if (record?.kind === 'im' && record.dmUserId !== store.me) current = dm?.id ?? store.botUserId;
}

/** The Shortcuts button by the composer: the app's global shortcuts. */
function renderShortcuts(): void {
  const menu = shortcutMenu(
    'Shortcuts',
    store.shortcuts.filter((shortcut) => shortcut.type === 'global'),
    (shortcut) => page.runShortcut(shortcut.callbackId),
    { className: 'shortcuts-menu', accessibleName: 'Shortcuts', key: 'composer' },
  );
  replaceChildren(byId('composer-tools'), ...(menu ? [menu] : []));
}

function renderCounts(): void {
  byId('email-count').textContent = store.emails.length > 0 ? String(store.emails.length) : '';
  const executions = store.executions();
  byId('workflow-count').textContent = executions.length > 0 ? String(executions.length) : '';
}

store.subscribe((change) => {
  switch (change.kind) {
    case 'reset': {
      byId('team-name').textContent = store.team.name;
      byId('connection').textContent = 'Live';
      // Who the page now shows things for: lets scripts (and the e2e tests) wait for a switch to land.
      document.body.dataset.actingAs = store.me;
      settleCurrent();
      const open = thread.current;
      if (open !== undefined && !store.channels.has(open.channel)) thread.close();
      renderSidebar(store, current, unread, selectConversation);
      if (current === HOME_ENTRY) byId('messages').replaceChildren();
      renderMain();
      // Another person's Home is theirs to open: switching person on the Home tab opens theirs.
      if (current === HOME_ENTRY) void openHome(page);
      thread.render();
      modal.render();
      websocketPanel.render();
      emailPanel.render();
      workflowsPanel.render();
      builderPanel.render();
      renderCounts();
      renderShortcuts();
      return;
    }
    case 'channels':
      settleCurrent();
      renderSidebar(store, current, unread, selectConversation);
      renderMain();
      return;
    case 'home':
      if (current === HOME_ENTRY) renderHome(page);
      return;
    case 'function_runs':
      builderPanel.renderRuns();
      return;
    case 'conversation':
      if (change.channel === current) renderConversation(page, current);
      else if (!unread.has(change.channel)) {
        unread.add(change.channel);
        renderSidebar(store, current, unread, selectConversation);
      }
      if (thread.current?.channel === change.channel) thread.render();
      return;
    case 'modals':
      modal.render();
      return;
    case 'emails':
      emailPanel.render();
      renderCounts();
      if (change.added) announce(`New e-mail: ${change.added.subject}`);
      return;
    case 'executions':
      workflowsPanel.render();
      renderCounts();
      return;
  }
});

function connect(user: string): void {
  source?.close();
  byId('connection').textContent = 'Connecting…';
  delete document.body.dataset.actingAs;
  source = new EventSource(`/api/live?user=${encodeURIComponent(user)}`);
  source.addEventListener('message', (event: MessageEvent<string>) => {
    store.apply(JSON.parse(event.data) as LiveEvent);
  });
  // EventSource reconnects by itself; the next snapshot brings the page back in step.
  source.addEventListener('error', () => {
    byId('connection').textContent = 'Reconnecting…';
  });
}

async function start(): Promise<void> {
  const endpoints = (await (await fetch('/endpoints.json')).json()) as { users: Person[] };
  const people = endpoints.users.filter((user) => !user.isBot);
  const switcher = byId<HTMLSelectElement>('acting-user');
  const wanted = new URLSearchParams(location.search).get('as');
  const me = people.find((person) => person.id === wanted || person.name === wanted) ?? people[0];
  for (const person of people) {
    const option = document.createElement('option');
    option.value = person.id;
    option.textContent = `${person.realName} (@${person.name})`;
    option.selected = person.id === me?.id;
    switcher.append(option);
  }
  switcher.addEventListener('change', () => {
    announce(`Now acting as ${switcher.selectedOptions[0]?.textContent ?? switcher.value}.`);
    connect(switcher.value);
  });
  attachComposer(
    byId<HTMLFormElement>('composer'),
    byId<HTMLTextAreaElement>('composer-input'),
    byId('composer-error'),
    store,
    { channel: () => current },
  );
  if (me) connect(me.id);
}

void start();
