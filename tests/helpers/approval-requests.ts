import { eventually } from '@greenlight/local-stack/testing/eventually';
import { expect } from '@jest/globals';
import { WORKING_ON_IT } from '../../app/slack/commands/command-workflow';
import type { TestStack } from './local-stack';
import { APPROVALS_CHANNEL, RITA } from './people';

const idIn = (text: string) => /`(GL-[0-9A-Z]{6})`/.exec(text)?.[1];

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
  const responsesBefore = stack.stack.slack.responses().length;
  const answer = await stack.slashCommand(`request ${text}`, { user, channel: APPROVALS_CHANNEL });
  expect(answer.status).toBe(200);
  const reply = answer.json() as { text: string };
  // A loaded machine can push the command past its budget: the reply then comes through response_url.
  const id =
    idIn(reply.text) ?? (reply.text === WORKING_ON_IT ? await lateId(stack, responsesBefore) : undefined);
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

function lateId(stack: TestStack, responsesBefore: number): Promise<string> {
  return eventually(
    () =>
      stack.stack.slack
        .responses()
        .slice(responsesBefore)
        .map((response) => idIn(JSON.stringify(response.payload)))
        .find((id) => id !== undefined),
    { what: 'the late reply through response_url' },
  );
}

/** The approval workflow's execution of request `id` (each is named after its request). */
export function approvalExecution(stack: TestStack, id: string) {
  return stack.stack.stepFunctions
    .executions()
    .find((candidate) => candidate.stateMachineName === 'ApprovalStateMachine' && candidate.name === id);
}

/** The approval workflow of `id`, once it has ended. */
export function finishedApproval(stack: TestStack, id: string) {
  return eventually(
    () => {
      const found = approvalExecution(stack, id);
      return found && found.status !== 'RUNNING' ? found : undefined;
    },
    { what: `the approval workflow ${id} to finish` },
  );
}

/** How each wait of `id` ended, from the execution's history: one entry per SendTask* it took. */
export function waitingTaskEnds(stack: TestStack, id: string): string[] {
  return stack.stack.stepFunctions
    .history(approvalExecution(stack, id)?.executionArn ?? '')
    .filter((event) => {
      const details = event as {
        taskSucceededEventDetails?: { resource?: string };
        taskFailedEventDetails?: { resource?: string };
      };
      const resource = (details.taskSucceededEventDetails ?? details.taskFailedEventDetails)?.resource ?? '';
      return resource.endsWith('.waitForTaskToken');
    })
    .map((event) => String(event.type));
}
