import type { Store } from '../store';

/**
 * Something the composer can mention. `wire` is the text Slack puts in the message or command for
 * it: `<@U…>` for a person; a user group would be `<!subteam^S…>`, from a source of its own.
 */
export interface MentionCandidate {
  kind: 'user' | 'usergroup';
  id: string;
  /** What the suggestion shows first, e.g. "Ana Approver". */
  label: string;
  /** What it shows beside it, e.g. "@ana". */
  handle: string;
  /** Lower-case words a query may start: the handle and each word of the label. */
  keys: string[];
  wire: string;
}

/** Lists the candidates of one kind from what the page knows. */
export type MentionSource = (store: Store) => MentionCandidate[];

/** The workspace's people (not its bots), as Slack suggests them after `@`. */
export const people: MentionSource = (store) =>
  store.users
    .filter((user) => !user.isBot)
    .map((user) => ({
      kind: 'user',
      id: user.id,
      label: user.realName,
      handle: `@${user.name}`,
      keys: [user.name, ...user.realName.split(/\s+/)].map((key) => key.toLowerCase()),
      wire: `<@${user.id}>`,
    }));

/** The workspace's user groups, as Slack suggests them after `@` and sends them: `<!subteam^S…|@handle>`. */
export const userGroups: MentionSource = (store) =>
  store.userGroups.map((group) => ({
    kind: 'usergroup',
    id: group.id,
    label: group.name,
    handle: `@${group.handle}`,
    keys: [group.handle, ...group.handle.split('-'), ...group.name.split(/\s+/)].map((key) =>
      key.toLowerCase(),
    ),
    wire: `<!subteam^${group.id}|@${group.handle}>`,
  }));

export const MENTION_SOURCES: ReadonlyArray<MentionSource> = [people, userGroups];

const MAX_SUGGESTIONS = 8;

/** The `@query` the caret is at the end of, with where it starts; undefined when there is none. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | undefined {
  const match = /(^|[\s(])@([\w.-]{0,40})$/.exec(text.slice(0, caret));
  if (match === null) return undefined;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

export function matchingCandidates(candidates: MentionCandidate[], query: string): MentionCandidate[] {
  const wanted = query.toLowerCase();
  return candidates
    .filter((candidate) => candidate.keys.some((key) => key.startsWith(wanted)))
    .slice(0, MAX_SUGGESTIONS);
}

let instances = 0;

/**
 * Slack's `@` suggestions for a composer: typing `@an` lists the people whose name or handle starts
 * so; arrows move, Enter or Tab picks, Escape closes. A pick puts the mention into the text in the
 * form Slack sends it (`<@U…>`), so what the composer shows is what the app receives.
 */
export function attachMentionAutocomplete(
  input: HTMLTextAreaElement,
  store: Store,
  sources: ReadonlyArray<MentionSource> = MENTION_SOURCES,
): void {
  instances += 1;
  const listId = `${input.id || 'composer'}-mentions-${instances}`;
  const list = document.createElement('ul');
  list.id = listId;
  list.className = 'mention-suggestions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'People and groups to mention');
  list.hidden = true;
  input.insertAdjacentElement('afterend', list);
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', listId);
  input.setAttribute('aria-expanded', 'false');

  let shown: MentionCandidate[] = [];
  let active = 0;
  let query: { start: number; query: string } | undefined;

  const close = () => {
    shown = [];
    query = undefined;
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };

  const render = () => {
    list.replaceChildren(
      ...shown.map((candidate, index) => {
        const option = document.createElement('li');
        option.id = `${listId}-${index}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', String(index === active));
        option.dataset.mention = candidate.wire;
        const label = document.createElement('span');
        label.className = 'mention-label';
        label.textContent = candidate.label;
        const handle = document.createElement('span');
        handle.className = 'mention-handle';
        handle.textContent = candidate.handle;
        option.append(label, ' ', handle);
        // mousedown, not click: the textarea keeps its focus and its caret.
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          pick(candidate);
        });
        return option;
      }),
    );
    list.hidden = shown.length === 0;
    input.setAttribute('aria-expanded', String(!list.hidden));
    if (list.hidden) input.removeAttribute('aria-activedescendant');
    else input.setAttribute('aria-activedescendant', `${listId}-${active}`);
  };

  const update = () => {
    query = mentionQuery(input.value, input.selectionStart ?? input.value.length);
    if (query === undefined) return close();
    const candidates = sources.flatMap((source) => source(store));
    shown = matchingCandidates(candidates, query.query);
    active = 0;
    render();
  };

  const pick = (candidate: MentionCandidate) => {
    if (query === undefined) return;
    const caret = input.selectionStart ?? input.value.length;
    const before = input.value.slice(0, query.start);
    const after = input.value.slice(caret).replace(/^ /, '');
    input.value = `${before}${candidate.wire} ${after}`;
    const at = before.length + candidate.wire.length + 1;
    input.setSelectionRange(at, at);
    close();
  };

  input.addEventListener('input', update);
  input.addEventListener('blur', close);
  // Registered before the composer's own keydown: a key that drives the suggestions goes no further.
  input.addEventListener('keydown', (event) => {
    if (list.hidden || shown.length === 0) return;
    const handled = () => {
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      handled();
      active = (active + (event.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length;
      render();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      const candidate = shown[active];
      if (candidate === undefined) return;
      handled();
      pick(candidate);
    } else if (event.key === 'Escape') {
      handled();
      close();
    }
  });
}
