import { readFileSync } from 'node:fs';

/**
 * Checks a `.env` file line by line before Node loads it: `process.loadEnvFile` skips a line it
 * cannot parse without a word, so a typo would leave a setting silently at its default. The
 * message names the line, never its content (the line may hold a secret).
 */
export function envFileProblems(path: string): string[] {
  const problems: string[] = [];
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  let openQuote: string | undefined;
  let openedAt = 0;
  lines.forEach((line, index) => {
    const number = index + 1;
    if (openQuote) {
      // A quoted value may span lines; it ends at the next line holding its closing quote.
      if (line.includes(openQuote)) openQuote = undefined;
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(trimmed);
    if (!match) {
      const name = /^(?:export\s+)?([^=\s]*)/.exec(trimmed)?.[1] ?? '';
      const looksLikeName = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name);
      problems.push(
        `${path}, line ${number}: expected NAME=value` +
          (looksLikeName && !trimmed.includes('=') ? ` (no "=" after ${name})` : ''),
      );
      return;
    }
    const value = match[2] ?? '';
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && !value.slice(1).includes(quote)) {
      openQuote = quote;
      openedAt = number;
    }
  });
  if (openQuote) problems.push(`${path}, line ${openedAt}: the value's ${openQuote} quote is never closed`);
  return problems;
}
