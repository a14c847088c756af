import type { MethodHandler } from './method-context';
import { SlackApiError } from './slack-api-error';

/** functions.completeSuccess: the custom step ends with its outputs. */
const completeSuccess: MethodHandler = (args, { functions }) => {
  const outputs = args.json('outputs', 'invalid_arguments');
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs))
    throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: outputs']);
  functions.complete(args.string('function_execution_id'), { outputs: outputs as Record<string, unknown> });
  return {};
};

/** functions.completeError: the custom step fails with a message the workflow's manager reads. */
const completeError: MethodHandler = (args, { functions }) => {
  const error = args.string('error');
  if (error === undefined || error === '')
    throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: error']);
  functions.complete(args.string('function_execution_id'), { error });
  return {};
};

export const functionsMethods: Readonly<Record<string, MethodHandler>> = {
  'functions.completeSuccess': completeSuccess,
  'functions.completeError': completeError,
};
