import type { ExecutionOutcome, ExecutionView, StepView } from '../../protocol';
import { type Child, h, on } from '../block-kit/vnode';
import { formatTime, reconcile, replaceChildren } from '../dom';
import type { Store } from '../store';

const STEP_STATUS: Record<StepView['status'], string> = {
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Succeeded',
  failed: 'Failed',
  caught: 'Caught',
};

/** A cause is often JSON (SendTaskFailure's, say): shown indented, under its own disclosure. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function badge(status: string): Child {
  return h('span', { class: `status status-${status.toLowerCase()}` }, status.replace('_', ' '));
}

function json(label: string, text: string | undefined): Child | null {
  if (text === undefined || text === '') return null;
  return h('details', { class: 'json' }, h('summary', {}, label), h('pre', {}, text));
}

function step(view: StepView): Child {
  return h(
    'li',
    { class: `step step-${view.status}` },
    h(
      'div',
      { class: 'step-line' },
      h('span', { class: 'step-name' }, view.name),
      h('span', { class: 'step-type' }, view.type),
      badge(STEP_STATUS[view.status]),
      h('time', { class: 'step-time', datetime: view.enteredAt }, formatTime(new Date(view.enteredAt))),
    ),
    view.note ? h('p', { class: 'step-note' }, view.note) : null,
    view.status === 'caught'
      ? h('p', { class: 'step-caught-note' }, `${view.error ?? 'An error'}, caught: the workflow went on`)
      : view.error
        ? h('p', { class: 'step-error' }, `${view.error}${view.cause ? `: ${view.cause}` : ''}`)
        : null,
    view.status === 'caught'
      ? json('Cause', view.cause === undefined ? undefined : pretty(view.cause))
      : null,
    json('Input', view.input),
    json('Output', view.output),
  );
}

/**
 * Every Step Functions execution, newest first, with its status and the states it went through:
 * what each received and returned, what it waits for (a task token), and where it failed.
 */
export class WorkflowsPanel {
  private readonly open = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly panel: HTMLElement,
  ) {
    replaceChildren(
      panel,
      h('h2', {}, 'Workflow executions'),
      h(
        'p',
        { class: 'panel-intro' },
        'Step Functions executions on the local endpoint, newest first, state by state.',
      ),
      h('div', { class: 'executions', id: 'executions' }),
    );
  }

  render(): void {
    const container = this.panel.querySelector('#executions');
    if (container === null) return;
    const executions = this.store.executions();
    reconcile(
      container,
      executions.map((execution) => ({
        key: execution.executionArn,
        version: JSON.stringify(execution),
        render: () => this.execution(execution),
      })),
    );
    if (executions.length === 0 && container.childElementCount === 0) {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = 'No executions yet.';
      container.append(empty);
    }
  }

  /** "Rejected by Ana Approver: “Not this quarter”": the outcome in words, under the summary. */
  private outcomeLine(outcome: ExecutionOutcome): Child {
    const by = outcome.by ? ` by ${this.store.userName(outcome.by)}` : '';
    const comment = outcome.comment ? `: “${outcome.comment}”` : '';
    return h('p', { class: 'execution-outcome' }, `${outcome.label}${by}${comment}`);
  }

  private execution(execution: ExecutionView): Child {
    const arn = execution.executionArn;
    return on(
      h(
        'details',
        { class: 'execution', open: this.open.has(arn), 'data-execution': execution.name },
        h(
          'summary',
          { 'data-focus-key': `execution-${execution.name}` },
          badge(execution.status),
          h('span', { class: 'execution-machine' }, execution.stateMachineName),
          execution.outcome
            ? h(
                'span',
                { class: `outcome outcome-${execution.outcome.tone}` },
                `Outcome: ${execution.outcome.label}`,
              )
            : null,
          h('span', { class: 'execution-type' }, execution.type),
          h('span', { class: 'execution-name' }, execution.name),
          h(
            'time',
            { class: 'execution-time', datetime: execution.startDate },
            formatTime(new Date(execution.startDate)),
          ),
        ),
        execution.outcome ? this.outcomeLine(execution.outcome) : null,
        execution.error
          ? h(
              'p',
              { class: 'step-error' },
              `${execution.error}${execution.cause ? `: ${execution.cause}` : ''}`,
            )
          : null,
        h(
          'ol',
          { class: 'steps', 'aria-label': `States of ${execution.name}` },
          ...execution.steps.map(step),
        ),
        json('Execution input', execution.input),
        json('Execution output', execution.output),
      ),
      {
        toggle: (event) => {
          if ((event.currentTarget as HTMLDetailsElement).open) this.open.add(arn);
          else this.open.delete(arn);
        },
      },
    );
  }
}
