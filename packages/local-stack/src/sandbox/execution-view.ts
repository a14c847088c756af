import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { OutcomeNamer } from '../product-hooks';
import type { ExecutionSummary } from '../stepfunctions';
import type { ExecutionView, StepView } from './protocol';
import { redactJson } from './redact';

const ENTERED = /^(\w+)StateEntered$/;
const EXITED = /^(\w+)StateExited$/;

function iso(date: Date | undefined): string | undefined {
  return date === undefined ? undefined : new Date(date).toISOString();
}

/** A failure in the history: the error and cause of whichever `*FailedEventDetails` it carries. */
function failureOf(
  event: HistoryEvent,
): { error: string | undefined; cause: string | undefined } | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (!/(Failed|TimedOut|Aborted)EventDetails$/.test(key) || typeof value !== 'object' || value === null)
      continue;
    const details = value as { error?: string; cause?: string };
    return { error: details.error, cause: details.cause };
  }
  return undefined;
}

/**
 * Folds an execution's history into the states it went through, in order: entered, what it waited
 * for, and how it ended. A state still open when the execution failed takes the execution's error.
 */
export function stateSteps(history: ReadonlyArray<HistoryEvent>): StepView[] {
  const steps: StepView[] = [];
  const open: StepView[] = [];
  const current = () => open.at(-1);
  for (const event of history) {
    const type = event.type ?? '';
    const at = iso(event.timestamp) ?? '';
    const entered = ENTERED.exec(type);
    if (entered?.[1] !== undefined) {
      const step: StepView = {
        name: event.stateEnteredEventDetails?.name ?? entered[1],
        type: entered[1],
        status: 'running',
        enteredAt: at,
        exitedAt: undefined,
        input: redactJson(event.stateEnteredEventDetails?.input),
        output: undefined,
        error: undefined,
        cause: undefined,
        note: undefined,
      };
      steps.push(step);
      open.push(step);
      continue;
    }
    const exited = EXITED.exec(type);
    if (exited !== null) {
      const name = event.stateExitedEventDetails?.name;
      const index = open.findLastIndex((step) => step.name === name);
      const step = open[index];
      if (step === undefined) continue;
      open.splice(index, 1);
      // A state whose task failed still exits when a Catch takes over: the failure was handled.
      step.status = step.status === 'failed' ? 'caught' : 'succeeded';
      step.exitedAt = at;
      step.output = redactJson(event.stateExitedEventDetails?.output);
      step.note = undefined;
      continue;
    }
    const step = current();
    if (type === 'TaskSubmitted' && step !== undefined) {
      if (/waitForTaskToken/.test(event.taskSubmittedEventDetails?.resource ?? '')) {
        step.status = 'waiting';
        step.note = 'waiting for a task token';
      }
      continue;
    }
    if (type === 'TaskScheduled' && step !== undefined) {
      // A task scheduled again after a failure is a retry: the state is running once more.
      step.note = step.status === 'failed' ? `retrying after ${step.error ?? 'an error'}` : undefined;
      step.status = 'running';
      step.error = undefined;
      step.cause = undefined;
      continue;
    }
    const failure = failureOf(event);
    if (failure === undefined) continue;
    // The execution ended in failure: every state still open failed with it.
    const targets = type.startsWith('Execution') ? open.splice(0) : step === undefined ? [] : [step];
    for (const target of targets) {
      target.status = 'failed';
      target.error = failure.error;
      target.cause = failure.cause;
      target.note = undefined;
      target.exitedAt ??= type.startsWith('Execution') ? at : undefined;
    }
  }
  return steps;
}

function parsedOutput(output: string | undefined): unknown {
  if (output === undefined) return undefined;
  try {
    return JSON.parse(output);
  } catch {
    return undefined;
  }
}

export function executionView(
  summary: ExecutionSummary,
  history: ReadonlyArray<HistoryEvent>,
  nameOutcome?: OutcomeNamer,
): ExecutionView {
  const outcome =
    summary.status === 'SUCCEEDED' && nameOutcome
      ? nameOutcome({ stateMachineName: summary.stateMachineName, output: parsedOutput(summary.output) })
      : undefined;
  return {
    executionArn: summary.executionArn,
    name: summary.name,
    stateMachineName: summary.stateMachineName,
    type: summary.type,
    status: summary.status,
    startDate: iso(summary.startDate) ?? '',
    stopDate: iso(summary.stopDate),
    input: redactJson(summary.input) ?? '',
    output: redactJson(summary.output),
    error: summary.error,
    cause: summary.cause,
    outcome,
    steps: stateSteps(history),
  };
}
