/**
 * Configuration read from the environment once, at cold start. A missing or malformed variable
 * fails the container's init with a message that names it, instead of failing a request later.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env = process.env) {}

  /** A variable that must be present and non-empty. */
  required(name: string): string {
    const value = this.env[name]?.trim();
    if (!value) {
      this.problems.push(`${name} is not set`);
      return '';
    }
    return value;
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  /**
   * Variables that only work together (a feature's settings): all of them, or none, which turns
   * the feature off. A partial set is a deploy mistake, so the missing ones are named.
   */
  group<K extends string>(names: readonly K[]): Record<K, string> | undefined {
    if (names.every((name) => this.optional(name) === undefined)) return undefined;
    return Object.fromEntries(names.map((name) => [name, this.required(name)])) as Record<K, string>;
  }

  /** A positive integer, with a default for when the variable is absent. */
  integer(name: string, fallback: number, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  /** Records a problem found by a caller's own check, reported with the others by done(). */
  fail(problem: string): void {
    this.problems.push(problem);
  }

  /** Throws one error naming every problem found, so a misconfigured deploy is fixed in one go. */
  done(): void {
    if (this.problems.length > 0) {
      throw new ConfigError(`Invalid configuration: ${this.problems.join('; ')}`);
    }
  }
}
