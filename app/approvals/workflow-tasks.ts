import type { Metrics } from '../shared/metrics';
import { type CallbackVerdict, checkCallback, type Mismatch, type WakeUp } from './callback-check';
import { updateOf } from './decide';
import { decisionLink } from './email-links';
import { approvalEmail } from './email-message';
import { type HomeRefreshDeps, refreshHomes } from './home';
import type { ApprovalUpdate } from './ports';
import { checkpointsLeft, nextWaitSeconds } from './schedule';

export { nextWaitSeconds } from './schedule';

import { ALREADY_CLOSED_ERROR, type Approval, type ApprovalChange, type ApproverGroup } from './model';
import { type NewApproval, newApproval, type RequestError } from './new-request';
import type { DecisionPolicy } from './policy';
import { approvalFromRow } from './record';
import type {
  ApprovalNotifier,
  ApprovalOutcome,
  ChannelDirectory,
  ClientPush,
  GateCallbacks,
  LinkSettings,
  Mailer,
  OutcomeEvents,
  PersonDirectory,
  WorkflowStore,
} from './workflow-ports';
import { type StepCompletions, stepResult } from './workflow-step';

/**
 * A request that fails newApproval, wherever it came from. Step Functions shows the name as the
 * execution's error and the message, every field's typed error as JSON, as its cause: a workflow
 * that started this one reads them as data and words them as it likes (requestErrorText).
 */
export class InvalidRequestError extends Error {
  override readonly name = 'Greenlight.InvalidRequest';
  constructor(readonly errors: RequestError[]) {
    super(JSON.stringify({ errors }));
  }
}

/**
 * The approval workflow's request, however the workflow was started, through the same checks as a
 * request made in Slack. One that /greenlight dated keeps its dates (its record has them); a direct
 * start is dated now, so the record and the wait agree.
 */
export function checkRequest(policy: DecisionPolicy, request: unknown, now: Date): NewApproval {
  const input = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  const checked = newApproval(
    {
      id: input.id,
      title: input.title,
      details: input.details,
      requester: input.requester,
      approvers: input.approvers,
      channelId: input.channelId,
      timeoutSeconds: input.timeoutSeconds,
      email: input.email,
      need: input.need,
      policy: input.policy,
      requireCommentOn: input.requireCommentOn,
      selfApproval: input.selfApproval,
      groups: groupsFromJson(input.groupsJson),
      // /greenlight passes the schedule as the record holds it; a direct start as an object.
      schedule: input.scheduleJson ?? input.schedule,
      sourceUrl: input.sourceUrl,
      functionExecutionId: input.functionExecutionId,
      // A checked request carries its stages as the record holds them; a planned one as a list.
      stages: input.stagesJson ?? input.stages,
    },
    policy,
    now,
  );
  if (!checked.ok) throw new InvalidRequestError(checked.errors);
  const { createdAt, expiresAt, expiresAtEpoch } = input;
  return typeof createdAt === 'string' && typeof expiresAt === 'string' && typeof expiresAtEpoch === 'number'
    ? { ...checked.approval, createdAt, expiresAt, expiresAtEpoch }
    : checked.approval;
}

/** The groups /greenlight resolved, as it passes them on (NewApproval.groupsJson); none otherwise. */
function groupsFromJson(text: unknown): ApproverGroup[] | undefined {
  if (typeof text !== 'string') return undefined;
  return approvalFromRow({ pk: '', status: 'PENDING', groups: text }).groups;
}

/** What announcing an outcome needs: the workflow's last task and the product's close-out share it. */
export interface AnnounceDeps {
  store: WorkflowStore;
  notifier: ApprovalNotifier;
  push: ClientPush;
  channels: ChannelDirectory;
  events: OutcomeEvents;
  now: () => Date;
  warn: (message: string, fields: Record<string, unknown>) => void;
  metrics: Metrics;
  /** Where a system waits for the outcome on its own side (app/gates); absent, nobody does. */
  gateCallbacks?: GateCallbacks;
  /** Everyone's App Home, republished when a request is created or closed; absent: no Homes. */
  homes?: HomeRefreshDeps | undefined;
  /** Completes the Workflow Builder step that made a request; absent: steps are not completed. */
  steps?: StepCompletions | undefined;
}

export interface WorkflowTaskDeps extends AnnounceDeps {
  /** Waits, while another run of the first task finishes posting. */
  pause: (ms: number) => Promise<void>;
  /** A callback the record did not back: a log line and a metric (the workflow emits the event). */
  callbackRefused: (details: {
    approvalId: string;
    execution: string;
    mismatch: Mismatch;
    rearms: number;
  }) => void;
  directory: PersonDirectory;
  mailer: Mailer;
  links: LinkSettings;
  /** Addresses configured per Slack user id; they win over the Slack profile's. */
  emailOverrides: Readonly<Record<string, string>>;
}

/**
 * First task of the approval workflow: store the token (the record is the only place it lives),
 * post the approval message, send the e-mails. Slack and SES failures are recorded on the
 * request and told to the requester; the workflow keeps waiting, since the request can still be
 * decided by e-mail or cancelled. If the request was closed before its token could be stored (a
 * cancel right after the request), the task fails with Greenlight.AlreadyClosed.
 */
export async function requestDecision(
  deps: WorkflowTaskDeps,
  input: { request: NewApproval; taskToken: string },
): Promise<{ waiting: true }> {
  const opened = await deps.store.openForDecision(input.request, input.taskToken);
  if (!opened.open) throw new AlreadyClosedError(`${input.request.id} closed before the workflow reached it`);
  const { approval } = opened;
  await deps.store.writeInbox(approval);
  await publishRequestOnce(deps, approval);

  if (await mayPublish(deps, approval)) {
    const posted = await deps.notifier.publish(approval);
    if (posted.ok) {
      await deps.store.recordMessage(approval.id, posted.messageTs);
      approval.messageTs = posted.messageTs;
      // A short timeout (or a cancel) can close the request while the message is being posted, and
      // the outcome's announcement finds no message to redraw: redraw it here, so no buttons outlive it.
      const current = await deps.store.get(approval.id);
      if (current !== undefined && current.status !== 'PENDING') {
        const updated = await deps.notifier.update({ ...current, messageTs: posted.messageTs });
        if (!updated.ok) await deps.store.recordDeliveryProblem(approval.id, updated.problem);
      }
    } else {
      await reportProblem(deps, approval, posted.problem);
    }
  }
  if (approval.email && (await deps.store.claimOnce(approval.id, 'emailedAt', deps.now()))) {
    await sendEmails(deps, approval);
  }
  // The new request appears in its approvers' "Waiting for you" and its requester's "Your requests".
  if (deps.homes) await refreshHomes(deps.homes, approval);
  return { waiting: true };
}

/** The trail's first event, "requested", as an Updated event: once, however often the task re-arms. */
async function publishRequestOnce(deps: WorkflowTaskDeps, approval: Approval): Promise<void> {
  if (!(await deps.store.claimOnce(approval.id, 'requestPublishedAt', deps.now()))) return;
  const requested = approval.trail?.find((entry) => entry.kind === 'requested');
  try {
    await deps.events.updated({
      ...updateOf(approval),
      event: requested ?? { kind: 'requested', at: approval.createdAt, by: approval.requester },
    });
  } catch (error) {
    await deps.store.releaseClaim(approval.id, 'requestPublishedAt');
    throw error;
  }
}

/** How long a claim to post the message holds: well past a post with the client's retries. */
export const POSTING_LEASE_MS = 15_000;
const POSTING_POLL_MS = 500;

/**
 * Whether this run posts (or updates) the message. A re-armed wait can start while the first run
 * is still posting; the later run then waits for that message's ts, and updates it, instead of
 * posting a twin. A run that died holding the claim loses it when the lease lapses.
 */
async function mayPublish(deps: WorkflowTaskDeps, approval: Approval): Promise<boolean> {
  for (;;) {
    if (approval.messageTs) return true;
    if (await deps.store.claimPosting(approval.id, deps.now(), POSTING_LEASE_MS)) return true;
    await deps.pause(POSTING_POLL_MS);
    const current = await deps.store.get(approval.id);
    if (current === undefined || current.status !== 'PENDING') return false;
    if (current.messageTs) approval.messageTs = current.messageTs;
  }
}

/**
 * Thrown by the first task when the request closed before its token could be stored (a cancel
 * right after the request). Lambda reports it as the task's error and the workflow catches it,
 * so the task function needs no Step Functions permission of its own.
 */
export class AlreadyClosedError extends Error {
  override readonly name = ALREADY_CLOSED_ERROR;
}

async function reportProblem(
  deps: Pick<WorkflowTaskDeps, 'store' | 'notifier' | 'warn'>,
  approval: Approval,
  problem: string,
): Promise<void> {
  deps.warn('approval_delivery_problem', { approvalId: approval.id, problem });
  await deps.store.recordDeliveryProblem(approval.id, problem);
  const told = await deps.notifier.tellRequesterOfProblem(approval, problem);
  if (!told.ok)
    deps.warn('approval_requester_unreachable', { approvalId: approval.id, problem: told.problem });
}

async function sendEmails(deps: WorkflowTaskDeps, approval: Approval): Promise<void> {
  const requesterName = await deps.directory.displayName(approval.requester);
  for (const approver of approval.approvers) {
    const address = deps.emailOverrides[approver] ?? (await deps.directory.email(approver));
    if (!address) {
      await reportProblem(
        deps,
        approval,
        `No e-mail address for <@${approver}>; they can still decide in Slack.`,
      );
      continue;
    }
    const link = (decision: 'approve' | 'reject') =>
      decisionLink(
        deps.links.baseUrl,
        deps.links.key,
        { approvalId: approval.id, decision, approver },
        approval.expiresAt,
      );
    const content = approvalEmail({
      approval,
      requesterName,
      approverName: await deps.directory.displayName(approver),
      approveUrl: link('approve'),
      rejectUrl: link('reject'),
    });
    try {
      await deps.mailer.send(address, content);
    } catch (error) {
      const reason = error instanceof Error ? error.name : 'unknown error';
      await reportProblem(
        deps,
        approval,
        `E-mail to <@${approver}> failed (${reason}); they can still decide in Slack.`,
      );
    }
  }
}

/**
 * Decisions by outcome and, for a person's decision, the time it took. Called only by the
 * announcer that wins the `announcedAt` claim, so each request counts once however often the
 * task is retried.
 */
function countDecision(deps: AnnounceDeps, approval: Approval): void {
  const waited = Date.parse(approval.decidedAt ?? '') - Date.parse(approval.createdAt);
  const decidedByPerson = approval.status === 'APPROVED' || approval.status === 'REJECTED';
  deps.metrics.emit(
    {
      decisions: 1,
      ...(decidedByPerson && Number.isFinite(waited) ? { timeToDecision: Math.max(0, waited) / 1000 } : {}),
    },
    { Outcome: approval.status },
  );
}

/**
 * After any callback, before anything is announced: the record is read and must back what the
 * callback claims (see callback-check.ts). A refusal is reported here; the workflow re-arms or,
 * past the bound, withdraws the request.
 */
export async function verifyCallback(
  deps: WorkflowTaskDeps,
  input: { approvalId: string; execution: string; wakeUp: WakeUp; rearms: number },
): Promise<CallbackVerdict> {
  const record = await deps.store.get(input.approvalId);
  const verdict = checkCallback({ record, wakeUp: input.wakeUp, rearms: input.rearms, now: deps.now() });
  if (verdict.verdict === 'rearm' || verdict.verdict === 'give-up') {
    deps.callbackRefused({
      approvalId: input.approvalId,
      execution: input.execution,
      mismatch: verdict.mismatch,
      rearms: verdict.rearms,
    });
  }
  return verdict;
}

/**
 * After the wait, whatever ended it, and in the product's close-out when the workflow cannot run
 * this: read the record (the truth), update the message, tell the requester once, publish the
 * decided event once, push the change to WebSocket clients, then close the inboxes and settle the
 * record. Each one-time step is claimed on the record, so the workflow, a handed-off close-out and
 * the sweep can all run it for the same request and every effect still happens once. Returns the
 * outcome for workflows that called this one.
 */
export async function announceOutcome(
  deps: AnnounceDeps,
  input: { approvalId: string },
): Promise<ApprovalOutcome> {
  const approval = await deps.store.get(input.approvalId);
  if (approval === undefined) throw new Error(`Approval ${input.approvalId} not found`);
  const now = deps.now();
  const outcome = outcomeOf(approval);
  const closed = approval.status !== 'PENDING';
  if (closed) {
    if (approval.messageTs) {
      const updated = await deps.notifier.update(approval);
      if (!updated.ok) await deps.store.recordDeliveryProblem(approval.id, updated.problem);
    }
    if (await deps.store.claimOnce(approval.id, 'announcedAt', now)) {
      countDecision(deps, approval);
      const told = await deps.notifier.tellRequester(approval);
      if (!told.ok) await deps.store.recordDeliveryProblem(approval.id, told.problem);
      // Everyone learns the outcome: the requester in the thread, the approvers who did not decide by DM.
      const others = undecided(approval).filter((approver) => approver !== approval.decider);
      if (others.length > 0) {
        const dm = await deps.notifier.tellUndecided(approval, others);
        if (!dm.ok) await deps.store.recordDeliveryProblem(approval.id, dm.problem);
      }
    }
    await publishOnce(deps, approval, outcome, now);
  }
  try {
    // WebSocket clients are outside Slack: a private channel's requests stay among its members.
    if (!(await deps.channels.isPrivate(approval.channelId)))
      await deps.push.approvalChanged(changeOf(approval, now));
  } catch (error) {
    // Live clients are a convenience; the record and the Slack message already say what happened.
    deps.warn('approval_push_failed', { approvalId: approval.id, error });
  }
  // A failed call back leaves the record unsettled, so the close-out sweep calls back again.
  const calledBack = closed ? await callBackOnce(deps, approval, now) : true;
  // Before the close-out: a step Slack could not be told of leaves the record unsettled, for the sweep.
  if (closed && deps.steps && approval.functionExecutionId)
    await completeStepOnce(deps, deps.steps, approval, approval.functionExecutionId, now);
  if (closed && calledBack) await deps.store.closeOut(approval, now);
  // After the close-out, so the inboxes the Homes are read from no longer hold it (a Home is placed
  // by the record either way, so a call back still owed does not hold the Homes back).
  if (closed && deps.homes) await refreshHomesOnce(deps, deps.homes, approval, now);
  return outcome;
}

/**
 * Tells the waiting system once: the claim is taken first and given back when the call failed, with
 * the failure recorded on the request (where `status` and the API show it), for the next try.
 */
async function callBackOnce(deps: AnnounceDeps, approval: Approval, now: Date): Promise<boolean> {
  if (deps.gateCallbacks === undefined || approval.origin?.callback === undefined) return true;
  if (!(await deps.store.claimOnce(approval.id, 'calledBackAt', now))) return true;
  const delivered = await deps.gateCallbacks.callBack(approval);
  if (delivered.ok) return true;
  await deps.store.recordDeliveryProblem(approval.id, delivered.problem);
  if ('final' in delivered) return true;
  await deps.store.releaseClaim(approval.id, 'calledBackAt');
  deps.warn('approval_call_back_failed', { approvalId: approval.id, problem: delivered.problem });
  return false;
}

/**
 * The Workflow Builder step that made the request ends once, with its outputs or a readable error.
 * A failure to reach Slack gives the claim back and fails the task, to be retried (by the task's
 * retries, then the close-out sweep); a completion Slack refuses for good is recorded on the request.
 */
async function completeStepOnce(
  deps: AnnounceDeps,
  steps: StepCompletions,
  approval: Approval,
  functionExecutionId: string,
  now: Date,
): Promise<void> {
  const result = stepResult(approval);
  if (result === undefined) return;
  if (!(await deps.store.claimOnce(approval.id, 'stepCompletedAt', now))) return;
  let completed: 'completed' | 'gone';
  try {
    completed = await steps.complete(functionExecutionId, result);
  } catch (error) {
    await deps.store.releaseClaim(approval.id, 'stepCompletedAt');
    throw error;
  }
  if (completed === 'gone') {
    deps.warn('workflow_step_not_completed', { approvalId: approval.id, functionExecutionId });
    await deps.store.recordDeliveryProblem(
      approval.id,
      'Slack refused to complete the Workflow Builder step.',
    );
  }
}

/** The Homes are refreshed once per outcome, however often it is announced; the claim is given back if the history write fails. */
async function refreshHomesOnce(
  deps: AnnounceDeps,
  homes: HomeRefreshDeps,
  approval: Approval,
  now: Date,
): Promise<void> {
  if (!(await deps.store.claimOnce(approval.id, 'homePublishedAt', now))) return;
  try {
    await refreshHomes(homes, approval);
  } catch (error) {
    await deps.store.releaseClaim(approval.id, 'homePublishedAt');
    throw error;
  }
}

/**
 * The event goes out once: the claim is taken first and given back if EventBridge refuses, so a
 * retry (of the task, the handed-off close-out or the sweep) publishes it. Only a process that
 * dies between the claim and the put loses it; one that dies after the put cannot send it twice.
 */
async function publishOnce(
  deps: AnnounceDeps,
  approval: Approval,
  outcome: ApprovalOutcome,
  now: Date,
): Promise<void> {
  if (!(await deps.store.claimOnce(outcome.id, 'publishedAt', now))) return;
  // A vote's own event went out when it was recorded; an expiry or a cancellation goes out here.
  const last = approval.trail?.at(-1);
  const closing =
    last && (last.kind === 'expired' || last.kind === 'cancelled') ? updateOf(approval) : undefined;
  try {
    await deps.events.decided(outcome, closing);
  } catch (error) {
    await deps.store.releaseClaim(outcome.id, 'publishedAt');
    throw error;
  }
}

function changeOf(approval: Approval, now: Date): ApprovalChange {
  return {
    id: approval.id,
    status: approval.status,
    title: approval.title,
    requester: approval.requester,
    at: approval.decidedAt ?? now.toISOString(),
    ...(approval.decider ? { decider: approval.decider } : {}),
    ...(approval.comment ? { comment: approval.comment } : {}),
  };
}

function outcomeOf(approval: Approval): ApprovalOutcome {
  return {
    id: approval.id,
    status: approval.status,
    title: approval.title,
    requester: approval.requester,
    approvers: approval.approvers,
    decider: approval.decider ?? null,
    comment: approval.comment ?? null,
    via: approval.decidedVia ?? null,
    requestedAt: approval.createdAt,
    decidedAt: approval.decidedAt ?? null,
    policy: approval.policy ?? null,
    tally: {
      need: approval.need ?? 1,
      approved: (approval.votes ?? [])
        .filter((vote) => vote.decision === 'approve')
        .map((vote) => vote.voter),
      rejected: (approval.votes ?? []).filter((vote) => vote.decision === 'reject').map((vote) => vote.voter),
    },
    trail: approval.trail ?? [],
  };
}

/** The approvers who have not decided and may: the ones a reminder goes to. */
function undecided(approval: Approval): string[] {
  const voted = new Set((approval.votes ?? []).map((vote) => vote.voter));
  return approval.approvers.filter(
    (approver) => !voted.has(approver) && (approver !== approval.requester || approval.selfApproval === true),
  );
}

const MAX_NUDGE_ROUNDS = 12;

/**
 * A reminder's or an escalation's "Approval Updated" event. The trail holds the event already, and
 * the direct messages are still to send: a refused put is logged rather than failing the task
 * (whose retry would find the event recorded and send nothing).
 */
async function publishEvent(deps: WorkflowTaskDeps, update: ApprovalUpdate): Promise<void> {
  try {
    await deps.events.updated(update);
  } catch (error) {
    deps.warn('approval_update_event_failed', { approvalId: update.id, error });
  }
}

/**
 * Runs the reminders and the escalation that are due, when the workflow's segmented wait ends:
 * each is appended to the trail first (a conditional write on the trail's length, so a retry or a
 * vote in between never doubles it), then the undecided are sent a direct message; an escalation
 * adds its approvers (who are told, and get an inbox entry) and posts to its channel. Returns the
 * next wait. A request closed meanwhile is left alone: the re-armed wait finds it closed.
 */
export async function nudge(
  deps: WorkflowTaskDeps,
  input: { approvalId: string },
): Promise<{ waitSeconds: number }> {
  for (let round = 0; round < MAX_NUDGE_ROUNDS; round += 1) {
    const approval = await deps.store.get(input.approvalId);
    const now = deps.now();
    if (approval === undefined || approval.status !== 'PENDING') return { waitSeconds: 1 };
    const elapsed = (now.getTime() - Date.parse(approval.createdAt)) / 1000;
    const due = checkpointsLeft(approval).find((point) => point.at <= elapsed);
    if (due === undefined) return { waitSeconds: nextWaitSeconds(approval, now) };
    const length = approval.trail?.length ?? 0;
    const at = now.toISOString();
    if (due.kind === 'remind') {
      const to = undecided(approval);
      const entry = { kind: 'reminded' as const, at, to };
      if (!(await deps.store.appendEvent(approval.id, entry, length))) continue;
      await publishEvent(deps, { ...updateOf(approval), event: entry });
      const told = await deps.notifier.remind(approval, to);
      if (!told.ok) await deps.store.recordDeliveryProblem(approval.id, told.problem);
      continue;
    }
    const escalate = approval.schedule?.escalate;
    const added = (escalate?.approvers ?? []).filter((id) => !approval.approvers.includes(id));
    const entry = {
      kind: 'escalated' as const,
      at,
      ...(added.length > 0 ? { to: added } : {}),
      ...(escalate?.channel ? { channel: escalate.channel } : {}),
    };
    if (!(await deps.store.appendEvent(approval.id, entry, length, added))) continue;
    const escalated = { ...approval, approvers: [...approval.approvers, ...added] };
    await publishEvent(deps, { ...updateOf(escalated), event: entry });
    if (added.length > 0) await deps.store.writeInbox({ ...escalated, approvers: added });
    const told = await deps.notifier.escalated(escalated, added, escalate?.channel);
    if (!told.ok) await deps.store.recordDeliveryProblem(approval.id, told.problem);
    // The message lists the approvers: show the added ones now, not at the next wait.
    if (approval.messageTs && added.length > 0) {
      const updated = await deps.notifier.update({ ...escalated, messageTs: approval.messageTs });
      if (!updated.ok) await deps.store.recordDeliveryProblem(approval.id, updated.problem);
    }
    // The approvers it added find the request in their Home's "Waiting for you" at once.
    if (deps.homes && added.length > 0) await refreshHomes(deps.homes, escalated);
  }
  // A record that keeps moving under us: wait a moment and look again, never loop here.
  return { waitSeconds: 1 };
}
