import { dynamodb } from '../shared/aws/dynamodb';
import { log } from '../shared/log';
import { createSlackApp } from './app';
import { loadSlackConfig } from './config';
import { dynamoEventDedup } from './receiver/event-dedup';

// Cold start: configuration is checked and the app is built once per container.
const config = loadSlackConfig();
const { receiver } = createSlackApp({
  config,
  logger: log.child({ fn: 'slack' }),
  dedup: dynamoEventDedup(dynamodb, config.eventDedupTable),
});

/** POST /slack/events: slash commands, interactivity and the Events API. */
export const handler = receiver.toHandler();
