export { type BlockSurface, validateBlocks } from './block-kit-validator';
export { RESPONSE_URL_LIFETIME_MS, RESPONSE_URL_MAX_USES } from './response-urls';
export { startSlackApi } from './slack-api-server';
export { TRIGGER_ID_LIFETIME_MS } from './trigger-ids';
export type {
  ChannelKind,
  ChannelRecord,
  Clock,
  DeliveryAttempt,
  EphemeralRecord,
  EphemeralSource,
  EventDeliveryReport,
  EventDeliverySettings,
  FunctionDefinition,
  FunctionExecution,
  PostAsUserInput,
  PostAsUserResult,
  ResponseOutcome,
  ResponseRecord,
  ResponseUrlInput,
  SlackApi,
  SlackApiChange,
  SlackApiChangeListener,
  SlackApiOptions,
  SlackChannelSeed,
  SlackMessage,
  SlackUserSeed,
  SlackView,
  UserRecord,
  ViewRecord,
} from './types';
