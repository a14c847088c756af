import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboxEntry, OutboxListener, OutboxMessage } from './types';

const INDEX_FILE = 'index.json';

function withoutRaw(message: OutboxMessage): OutboxEntry {
  const { raw: _raw, ...entry } = message;
  return entry;
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<OutboxEntry>;
  return typeof entry.messageId === 'string' && /^[\w-]+$/.test(entry.messageId) && Array.isArray(entry.to);
}

/**
 * Every message SES accepted, in order. With a directory it survives restarts: one `<messageId>.eml`
 * per message and an `index.json` of the rest. Writes are synchronous on purpose: the files are small,
 * and the index can then never be written out of order by two requests at once.
 */
export class Outbox {
  private readonly messages: OutboxMessage[] = [];
  private readonly listeners = new Set<OutboxListener>();

  constructor(private readonly dir: string | undefined) {
    if (dir === undefined) return;
    mkdirSync(dir, { recursive: true });
    this.messages.push(...Outbox.load(dir));
  }

  /** Reads an existing outbox; a corrupt index stops the start with a message naming the file. */
  private static load(dir: string): OutboxMessage[] {
    const indexPath = join(dir, INDEX_FILE);
    if (!existsSync(indexPath)) return [];
    let entries: unknown;
    try {
      entries = JSON.parse(readFileSync(indexPath, 'utf8'));
    } catch (error) {
      throw new Error(`SES outbox index ${indexPath} is not valid JSON`, { cause: error });
    }
    if (!Array.isArray(entries) || !entries.every(isEntry)) {
      throw new Error(`SES outbox index ${indexPath} is not a list of messages`);
    }
    return entries.flatMap((entry) => {
      const emlPath = join(dir, `${entry.messageId}.eml`);
      if (!existsSync(emlPath)) {
        console.warn(`ses: ${emlPath} is listed in the outbox index but missing; skipped`);
        return [];
      }
      return [{ ...entry, raw: readFileSync(emlPath, 'utf8') }];
    });
  }

  add(message: OutboxMessage): void {
    if (this.dir !== undefined) {
      writeFileSync(join(this.dir, `${message.messageId}.eml`), message.raw);
      this.messages.push(message);
      this.writeIndex(this.dir);
    } else {
      this.messages.push(message);
    }
    for (const listener of this.listeners) {
      try {
        listener({ ...message });
      } catch (error) {
        // SES has already accepted the message; an observer's bug must not turn that into a failure.
        console.error('ses: outbox listener failed', error);
      }
    }
  }

  list(): OutboxMessage[] {
    return this.messages.map((message) => ({ ...message }));
  }

  clear(): void {
    this.messages.length = 0;
    if (this.dir === undefined) return;
    for (const file of readdirSync(this.dir)) {
      if (file.endsWith('.eml')) rmSync(join(this.dir, file), { force: true });
    }
    this.writeIndex(this.dir);
  }

  subscribe(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private writeIndex(dir: string): void {
    // Write then rename, so a crash never leaves a half-written index behind.
    const indexPath = join(dir, INDEX_FILE);
    const temporary = `${indexPath}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.messages.map(withoutRaw), null, 2)}\n`);
    renameSync(temporary, indexPath);
  }
}
