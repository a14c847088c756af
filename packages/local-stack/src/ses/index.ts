export { startSes } from './ses-server';
export type { OutboxEntry, OutboxListener, OutboxMessage, Ses, SesOptions } from './types';
