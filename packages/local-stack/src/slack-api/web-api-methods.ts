import { authMethods } from './auth-methods';
import { chatMethods } from './chat-methods';
import { conversationsMethods } from './conversations-methods';
import { functionsMethods } from './functions-methods';
import type { MethodHandler } from './method-context';
import { usergroupsMethods } from './usergroups-methods';
import { usersMethods } from './users-methods';
import { viewsMethods } from './views-methods';

/** Every Web API method the stand-in answers; anything else is `unknown_method`, as on Slack. */
export const webApiMethods: ReadonlyMap<string, MethodHandler> = new Map(
  Object.entries({
    ...authMethods,
    ...chatMethods,
    ...conversationsMethods,
    ...functionsMethods,
    ...usersMethods,
    ...usergroupsMethods,
    ...viewsMethods,
  }),
);

/** The scopes Slack reports in `x-oauth-scopes`, which `WebClient` copies into `response_metadata`. */
export const GRANTED_SCOPES = [
  'chat:write',
  'chat:write.public',
  'commands',
  'im:write',
  'im:history',
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'users:read',
  'users:read.email',
  'usergroups:read',
].join(',');
