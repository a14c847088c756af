import { join } from 'node:path';
import { readSnapshot, writeSnapshot } from '../durable-file';

/**
 * The REST API URL that the outbox's links were made with. A mailed approve/reject link is signed
 * with the link key (fixed for a data directory: the dev key or the one in .env) and points at the
 * local REST gateway, port included. So for the mails in a persistent outbox to keep working after
 * a restart, the gateway must come back on the same port: a start that lets the system pick the
 * port (0) asks for the previous one first, and a start on another port says which links broke.
 */
const FILE = 'link-base.json';

const warn = (message: string) => console.warn(`ses: ${message}`);

export function previousLinkBase(outboxDir: string): string | undefined {
  try {
    const kept = readSnapshot(join(outboxDir, FILE), warn) as { restUrl?: unknown } | undefined;
    return typeof kept?.restUrl === 'string' ? kept.restUrl : undefined;
  } catch (error) {
    // Only a hint for choosing a port: without it the stack starts as if it were the first time.
    warn(`${(error as Error).message}; the port of earlier links is not known`);
    return undefined;
  }
}

/** The port to ask for: the one asked, or for "any" (0) the port the mailed links point at. */
export function restPortFor(requested: number, previous: string | undefined): number {
  if (requested !== 0 || previous === undefined) return requested;
  const port = Number(new URL(previous).port);
  return Number.isInteger(port) && port > 0 ? port : 0;
}

/** Keeps this start's URL, and warns when the links mailed before point elsewhere. */
export function recordLinkBase(outboxDir: string, restUrl: string, previous: string | undefined): void {
  if (previous !== undefined && previous !== restUrl) {
    console.warn(
      `[stack] e-mailed approve/reject links in the outbox point at ${previous}, but the REST API is now at ${restUrl}: those links will not open until the stack runs on that port again (GREENLIGHT_REST_PORT=${new URL(previous).port})`,
    );
  }
  writeSnapshot(join(outboxDir, FILE), JSON.stringify({ restUrl }));
}
