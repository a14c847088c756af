import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys: `gl_<key id>_<secret>`. The id finds the stored key with one read; only the secret's
 * SHA-256 is stored, so the table never holds a usable key, and a long random secret needs no slow
 * hash. A key is printed once, when it is made, and never logged.
 */
const KEY_PATTERN = /^gl_([0-9a-z]{12})_([A-Za-z0-9_-]{43})$/;
const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export interface MintedKey {
  keyId: string;
  /** The whole key, to show once. */
  key: string;
  hash: string;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function mintApiKey(): MintedKey {
  const idBytes = randomBytes(12);
  let keyId = '';
  for (const byte of idBytes) keyId += ID_ALPHABET[byte % ID_ALPHABET.length];
  const secret = randomBytes(32).toString('base64url');
  return { keyId, key: `gl_${keyId}_${secret}`, hash: hashSecret(secret) };
}

/** The id and secret of something shaped like a key, or undefined. */
export function parseApiKey(text: string): { keyId: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { keyId: match[1], secret: match[2] };
}

/** Constant-time: how much of a hash matched must not show in how long the answer took. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** A key's name: what logs, the Slack message and `--revoke` call it. */
export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface StoredKey {
  keyId: string;
  name: string;
  hash: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}
