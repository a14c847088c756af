import { expect } from '@jest/globals';
import { eventually } from './eventually';
import type { TestStack } from './local-stack';
import { APPROVALS_CHANNEL, RITA } from './people';

/** The buttons of an approval message (none once it is closed). */
export function buttonsOf(
  message: { blocks?: unknown[] } | undefined,
): Array<{ action_id: string; value: string }> {
  const actions = (message?.blocks ?? []).find((block) => (block as { type: string }).type === 'actions') as
    | { elements: Array<{ action_id: string; value: string }> }
    | undefined;
  return actions?.elements ?? [];
}

/** `/greenlight request …` as `user` in #approvals; returns the id and the approval message once posted. */
export async function requestApproval(stack: TestStack, text: string, user = RITA) {
  const answer = await stack.slashCommand(`request ${text}`, { user, channel: APPROVALS_CHANNEL });
  expect(answer.status).toBe(200);
  const reply = answer.json() as { text: string };
  const id = /`(GL-[0-9A-Z]{6})`/.exec(reply.text)?.[1];
  if (!id) throw new Error(`No approval id in the reply: ${reply.text}`);
  const message = await eventually(
    () =>
      stack.stack.slack
        .messages(APPROVALS_CHANNEL)
        .find((candidate) => candidate.text.includes(id) && buttonsOf(candidate).length > 0),
    { what: `the approval message for ${id}` },
  );
  return { id, reply, message };
}
