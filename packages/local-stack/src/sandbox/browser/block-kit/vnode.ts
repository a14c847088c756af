/**
 * A small description of DOM to build. The Block Kit renderer returns these instead of HTML text:
 * text only ever becomes text nodes and attributes are set one by one, so nothing an app puts in a
 * message can turn into markup. `toHtml` serializes a tree (escaped) for tests and debugging.
 */
export type Attributes = Record<string, string | number | boolean | undefined>;

export type Handlers = Partial<
  Record<'click' | 'change' | 'input' | 'keydown' | 'toggle', (event: Event) => void>
>;

export interface VNode {
  tag: string;
  attrs: Attributes;
  on: Handlers;
  /** Called with the element once it exists, for controls whose value is read later. */
  ref: ((element: Element) => void) | undefined;
  children: Child[];
}

export type Child = VNode | string;

export function h(
  tag: string,
  attrs: Attributes = {},
  ...children: Array<Child | Child[] | null | undefined | false>
): VNode {
  const flat: Child[] = [];
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) flat.push(...child);
    else flat.push(child);
  }
  return { tag, attrs, on: {}, ref: undefined, children: flat };
}

/** The same node with event handlers attached. */
export function on(node: VNode, handlers: Handlers): VNode {
  node.on = { ...node.on, ...handlers };
  return node;
}

/** The same node with a callback that receives its element. */
export function withRef(node: VNode, ref: (element: Element) => void): VNode {
  node.ref = ref;
  return node;
}

/** Builds real DOM. Tag and attribute names come from the renderer's code, never from a message. */
export function toDom(child: Child, doc: Document = document): Node {
  if (typeof child === 'string') return doc.createTextNode(child);
  const element = doc.createElement(child.tag);
  for (const [name, value] of Object.entries(child.attrs)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, handler] of Object.entries(child.on)) {
    if (handler !== undefined) element.addEventListener(name, handler);
  }
  for (const inner of child.children) element.appendChild(toDom(inner, doc));
  child.ref?.(element);
  return element;
}

const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link']);

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escaped HTML for a tree: what `toDom` would build, as text. */
export function toHtml(child: Child): string {
  if (typeof child === 'string') return escapeText(child);
  const attrs = Object.entries(child.attrs)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeText(String(value))}"`))
    .join('');
  if (VOID.has(child.tag)) return `<${child.tag}${attrs}>`;
  return `<${child.tag}${attrs}>${child.children.map(toHtml).join('')}</${child.tag}>`;
}

/** Every node of a tree, depth first, for tests that look for what must not be there. */
export function* walk(child: Child): Generator<VNode> {
  if (typeof child === 'string') return;
  yield child;
  for (const inner of child.children) yield* walk(inner);
}

/** The text a tree shows. */
export function textOf(child: Child): string {
  if (typeof child === 'string') return child;
  if (child.tag === 'br') return '\n';
  return child.children.map(textOf).join('');
}
