import type { ApiArgs } from './api-args';
import type { MethodHandler } from './method-context';
import { SlackApiError } from './slack-api-error';
import { validateView } from './view-validator';

function triggerId(args: ApiArgs): string {
  const id = args.string('trigger_id') ?? args.string('interactivity_pointer');
  if (id === undefined)
    throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
  return id;
}

function viewPayload(args: ApiArgs): unknown {
  const view = args.json('view', 'invalid_arguments');
  if (view === undefined)
    throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: view']);
  // Checked before the trigger is spent, so a malformed view does not burn the user's click.
  return validateView(view);
}

const open: MethodHandler = (args, { views, triggers }) => {
  const id = triggerId(args);
  const payload = viewPayload(args);
  const { userId } = triggers.exchange(id);
  return { view: views.open(payload, userId) };
};

const push: MethodHandler = (args, { views, triggers }) => {
  const id = triggerId(args);
  const payload = viewPayload(args);
  const { userId } = triggers.exchange(id);
  return { view: views.push(payload, userId) };
};

const update: MethodHandler = (args, { views }) => {
  const viewId = args.string('view_id');
  const externalId = args.string('external_id');
  if (viewId === undefined && externalId === undefined) {
    throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: view_id or external_id']);
  }
  const target = {
    ...(viewId !== undefined ? { viewId } : {}),
    ...(externalId !== undefined ? { externalId } : {}),
  };
  return { view: views.update(target, viewPayload(args), args.string('hash')) };
};

/** A person's App Home tab, replaced whole; no trigger id is needed. */
const publish: MethodHandler = (args, { homes, workspace }) => {
  const user = workspace.requireUser(args.string('user_id'));
  const view = args.json('view', 'invalid_arguments');
  if (view === undefined)
    throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: view']);
  return { view: homes.publish(view, user.id, args.string('hash')) };
};

export const viewsMethods: Readonly<Record<string, MethodHandler>> = {
  'views.publish': publish,
  'views.open': open,
  'views.push': push,
  'views.update': update,
};
