import type { FunctionDefinition, FunctionExecution } from '../../protocol';
import { post } from '../api';
import { h, on, type VNode } from '../block-kit/vnode';
import { byId, replaceChildren } from '../dom';
import type { Store } from '../store';

type InputValue = string | number | string[];

/** The form control for one of the step's inputs, by its Slack type; `read` gives its value or nothing. */
function control(store: Store, parameter: FunctionDefinition['inputParameters'][number]) {
  const id = `wb-input-${parameter.name}`;
  const label = h('label', { for: id }, parameter.title ?? parameter.name, parameter.is_required ? ' *' : '');
  const options = (items: Array<{ value: string; label: string }>) =>
    items.map((item) => h('option', { value: item.value }, item.label));
  const people = store.users
    .filter((user) => !user.isBot)
    .map((user) => ({ value: user.id, label: user.realName }));
  const channels = [...store.channels.values()]
    .filter((channel) => channel.kind === 'public' || channel.kind === 'private')
    .map((channel) => ({ value: channel.id, label: `#${channel.name}` }));
  let node: VNode;
  if (parameter.type === 'array') node = h('select', { id, multiple: true, size: 4 }, ...options(people));
  else if (parameter.type === 'slack#/types/channel_id') node = h('select', { id }, ...options(channels));
  else if (parameter.type === 'slack#/types/user_id') node = h('select', { id }, ...options(people));
  else if (parameter.type === 'integer' || parameter.type === 'number')
    node = h('input', { id, type: 'number', min: '1', step: '1' });
  else if (parameter.name === 'details') node = h('textarea', { id, rows: 2 });
  else node = h('input', { id, type: 'text' });
  const read = (): InputValue | undefined => {
    const element = document.getElementById(id);
    if (element instanceof HTMLSelectElement && element.multiple)
      return [...element.selectedOptions].map((option) => option.value);
    if (element instanceof HTMLInputElement && element.type === 'number')
      return element.value === '' ? undefined : Number(element.value);
    if (
      element instanceof HTMLInputElement ||
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement
    )
      return element.value === '' ? undefined : element.value;
    return undefined;
  };
  return { node: h('div', { class: 'wb-field' }, label, node), read };
}

function runView(run: FunctionExecution): ReturnType<typeof h> {
  const state =
    run.state === 'running' ? 'Waiting for the step…' : run.state === 'completed' ? 'Completed' : 'Failed';
  return h(
    'li',
    { class: `wb-run wb-run-${run.state}`, 'data-execution': run.functionExecutionId },
    h('p', { class: 'wb-run-state' }, h('strong', {}, state), ` · ${run.functionExecutionId}`),
    h('p', { class: 'wb-run-inputs' }, `Inputs: ${JSON.stringify(run.inputs)}`),
    run.outputs ? h('pre', { class: 'wb-run-outputs' }, JSON.stringify(run.outputs, null, 2)) : null,
    run.error ? h('p', { class: 'wb-run-error' }, run.error) : null,
  );
}

/**
 * Workflow Builder, reduced to a one-step workflow: the app's custom step (manifest.json
 * `functions`) with its inputs in a small form. Running it sends the app `function_executed`; the
 * run stays "waiting" until the app completes the step, then shows its outputs or its error.
 */
export class WorkflowBuilderPanel {
  private reads: Array<[string, () => InputValue | undefined]> = [];

  constructor(
    private readonly store: Store,
    private readonly panel: HTMLElement,
  ) {}

  render(): void {
    const [step] = this.store.functions;
    if (step === undefined) {
      replaceChildren(
        this.panel,
        h('h2', {}, 'Workflow Builder'),
        h('p', {}, 'The app declares no custom step.'),
      );
      return;
    }
    const fields = step.inputParameters
      .filter((parameter) => parameter.name !== 'requester')
      .map((parameter) => ({ name: parameter.name, ...control(this.store, parameter) }));
    this.reads = fields.map((field) => [field.name, field.read]);
    const form = on(
      h(
        'form',
        { class: 'wb-form', 'aria-label': `Run a workflow with the step ${step.title}` },
        ...fields.map((field) => field.node),
        h('button', { type: 'submit', class: 'bk-button bk-button-primary' }, 'Run workflow'),
        h('p', { class: 'composer-error', id: 'wb-error', role: 'alert' }),
      ),
      {},
    );
    replaceChildren(
      this.panel,
      h('h2', {}, 'Workflow Builder'),
      h(
        'p',
        { class: 'panel-intro' },
        `A one-step workflow: the app's step "${step.title}", started by you. ${step.description}.`,
      ),
      form,
      h('h3', {}, 'Runs'),
      h('ul', { class: 'wb-runs', id: 'wb-runs' }),
    );
    this.panel.querySelector('form')?.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run(step);
    });
    this.renderRuns();
  }

  renderRuns(): void {
    const list = document.getElementById('wb-runs');
    if (list === null) return;
    const runs = [...this.store.functionRuns].reverse();
    replaceChildren(
      list,
      ...(runs.length === 0 ? [h('li', { class: 'empty' }, 'No runs yet.')] : runs.map(runView)),
    );
  }

  private async run(step: FunctionDefinition): Promise<void> {
    const inputs: Record<string, InputValue> = {};
    for (const [name, read] of this.reads) {
      const value = read();
      if (value !== undefined) inputs[name] = value;
    }
    byId('wb-error').textContent = '';
    const result = await post('/api/workflow-builder/run', {
      user: this.store.me,
      callbackId: step.callbackId,
      inputs,
    });
    if (!result.ok) byId('wb-error').textContent = result.error;
  }
}
