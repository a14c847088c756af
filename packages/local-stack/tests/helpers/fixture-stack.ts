import { join } from 'node:path';
import { FREE_PORTS } from '../../src/dev-config';
import type { ProductHooks } from '../../src/product-hooks';
import { type LocalStack, type StackOptions, startStack } from '../../src/stack';

/** The package's root: the fixture template's paths are relative to it, whatever the working directory. */
export const PACKAGE_ROOT = join(__dirname, '../..');

/** A small template of the package's own: a REST function, a task function, an EXPRESS machine, a table. */
export const FIXTURE_TEMPLATE = join(PACKAGE_ROOT, 'tests/fixtures/template/template.yaml');

/** The fixture template has no WebSocket function to check tokens, so any stable string will do. */
const FIXTURE_HOOKS: ProductHooks = {
  websocketToken: (_key, claims) => `fixture-token.${claims.sub}.${claims.exp}`,
};

/** The whole stack on free ports, in memory, running the fixture template. */
export function startFixtureStack(options: Partial<StackOptions> = {}): Promise<LocalStack> {
  return startStack({
    hooks: FIXTURE_HOOKS,
    ports: FREE_PORTS,
    dataDir: undefined,
    root: PACKAGE_ROOT,
    templatePath: FIXTURE_TEMPLATE,
    ...options,
  });
}

export interface HttpAnswer {
  status: number;
  text: string;
  json: () => Record<string, unknown>;
}

/** POSTs to a route of the stack's REST emulation. */
export async function postToRest(
  stack: LocalStack,
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const response = await fetch(`${stack.rest.url}${path}`, {
    method: 'POST',
    body: body as Uint8Array<ArrayBuffer> | string,
    headers,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}
