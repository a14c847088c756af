/** One element of a rich_text_section, as Slack's client builds it from what a person typed. */
export type TypedElement =
  | { type: 'text'; text: string }
  | { type: 'user'; user_id: string }
  | { type: 'usergroup'; usergroup_id: string }
  | { type: 'channel'; channel_id: string };

/**
 * Splits a person's message into the elements Slack's client sends: text, and the mentions picked
 * from its suggestions, which arrive in the text as `<@U…>`, `<!subteam^S…>` or `<#C…>`.
 */
export function typedElements(text: string): TypedElement[] {
  const elements: TypedElement[] = [];
  let last = 0;
  for (const match of text.matchAll(/<(@[UW][A-Z0-9]+|!subteam\^S[A-Z0-9]+|#C[A-Z0-9]+)(?:\|[^>]*)?>/g)) {
    if (match.index > last) elements.push({ type: 'text', text: text.slice(last, match.index) });
    const target = match[1] ?? '';
    if (target.startsWith('@')) elements.push({ type: 'user', user_id: target.slice(1) });
    else if (target.startsWith('#')) elements.push({ type: 'channel', channel_id: target.slice(1) });
    else elements.push({ type: 'usergroup', usergroup_id: target.slice('!subteam^'.length) });
    last = match.index + match[0].length;
  }
  if (last < text.length || elements.length === 0) elements.push({ type: 'text', text: text.slice(last) });
  return elements;
}
