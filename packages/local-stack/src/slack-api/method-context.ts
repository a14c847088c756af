import type { ApiArgs } from './api-args';
import type { FunctionExecutions } from './function-executions';
import type { HomeTabs } from './home-tabs';
import type { TriggerIds } from './trigger-ids';
import type { ViewStore } from './view-store';
import type { Workspace } from './workspace';

/** What every Web API method works with. */
export interface MethodContext {
  workspace: Workspace;
  views: ViewStore;
  triggers: TriggerIds;
  homes: HomeTabs;
  functions: FunctionExecutions;
  baseUrl: string;
}

/** A Web API method: returns the response fields besides `ok: true`, or throws `SlackApiError`. */
export type MethodHandler = (args: ApiArgs, context: MethodContext) => Record<string, unknown>;
