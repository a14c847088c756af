import { type Child, toDom } from './block-kit/vnode';

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The page has no #${id}`);
  return element as T;
}

/** Replaces an element's content with freshly built nodes. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.map((child) => toDom(child)));
}

export interface Keyed {
  key: string;
  /** Changes whenever what the item shows changes. */
  version: string;
  render: () => Child;
}

/** Where focus was inside a replaced item, so it can be put back on its twin. */
function focusKey(element: Element | null): string | undefined {
  if (!(element instanceof HTMLElement)) return undefined;
  return element.dataset.actionId ?? element.dataset.focusKey ?? element.id ?? undefined;
}

function restoreFocus(root: Element, key: string | undefined): void {
  if (key === undefined) return;
  const target = [...root.querySelectorAll<HTMLElement>('[data-action-id], [data-focus-key], [id]')].find(
    (candidate) => (candidate.dataset.actionId ?? candidate.dataset.focusKey ?? candidate.id) === key,
  );
  target?.focus();
}

/**
 * Brings a list up to date, rebuilding only the items whose version changed and keeping focus on
 * the control it was on. Messages update in place without the list jumping or losing the reader's spot.
 */
export function reconcile(container: Element, items: ReadonlyArray<Keyed>): void {
  const existing = new Map<string, Element>();
  for (const child of [...container.children]) {
    const key = (child as HTMLElement).dataset.key;
    // Anything unkeyed (an "empty" placeholder) makes way for the items.
    if (key === undefined) child.remove();
    else existing.set(key, child);
  }
  let previous: Element | null = null;
  const wanted = new Set(items.map((item) => item.key));
  for (const [key, element] of existing) if (!wanted.has(key)) element.remove();
  for (const item of items) {
    let element = existing.get(item.key);
    if (element === undefined || (element as HTMLElement).dataset.version !== item.version) {
      const active = element?.contains(document.activeElement) ? focusKey(document.activeElement) : undefined;
      const built = toDom(item.render()) as HTMLElement;
      built.dataset.key = item.key;
      built.dataset.version = item.version;
      if (element !== undefined) element.replaceWith(built);
      element = built;
      restoreFocus(built, active);
    }
    const expectedPosition: Element | null =
      previous === null ? container.firstElementChild : previous.nextElementSibling;
    if (expectedPosition !== element) {
      if (previous === null) container.prepend(element);
      else previous.after(element);
    }
    previous = element;
  }
}

export function formatTime(date: Date): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A Slack `ts` (`seconds.micros`) as a Date. */
export function tsDate(ts: string): Date {
  return new Date(Number(ts.split('.')[0]) * 1000);
}

const announcer = () => document.getElementById('announcer');

/** Says something to screen readers without moving focus. */
export function announce(text: string): void {
  const region = announcer();
  if (region === null) return;
  region.textContent = '';
  // A fresh text node after clearing makes repeated announcements heard.
  requestAnimationFrame(() => {
    region.textContent = text;
  });
}
