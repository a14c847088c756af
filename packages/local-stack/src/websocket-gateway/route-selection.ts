/** Turns a message body into the value its route selection expression names, if any. */
export type RouteSelector = (body: string) => string | undefined;

const WHOLE_EXPRESSION = /^\$request\.body\.([^.\s${}]+(?:\.[^.\s${}]+)*)$/;
const TEMPLATE_PART = /\$\{request\.body\.([^.\s${}]+(?:\.[^.\s${}]+)*)\}/g;

type Part = { readonly literal: string } | { readonly path: readonly string[] };

/**
 * Compiles the two forms API Gateway accepts for JSON bodies: `$request.body.a.b` and a template
 * such as `${request.body.action}-${request.body.version}`. Anything else throws at start-up, so a
 * typo in the local stack's configuration is not mistaken for "every message goes to $default".
 */
export function compileRouteSelectionExpression(expression: string): RouteSelector {
  const parts = parseExpression(expression);
  return (body) => {
    const json = parseJson(body);
    if (json === undefined) return undefined;
    let value = '';
    for (const part of parts) {
      if ('literal' in part) {
        value += part.literal;
        continue;
      }
      const selected = scalarAt(json, part.path);
      if (selected === undefined) return undefined;
      value += selected;
    }
    return value;
  };
}

function parseExpression(expression: string): Part[] {
  const whole = WHOLE_EXPRESSION.exec(expression);
  if (whole?.[1] !== undefined) return [{ path: whole[1].split('.') }];

  const parts: Part[] = [];
  let end = 0;
  for (const match of expression.matchAll(TEMPLATE_PART)) {
    if (match.index > end) parts.push({ literal: expression.slice(end, match.index) });
    parts.push({ path: (match[1] ?? '').split('.') });
    end = match.index + match[0].length;
  }
  if (end < expression.length) parts.push({ literal: expression.slice(end) });

  const usable =
    parts.some((part) => 'path' in part) &&
    parts.every((part) => !('literal' in part) || !part.literal.includes('$'));
  if (!usable) {
    throw new Error(
      `Unsupported route selection expression ${JSON.stringify(expression)}: use $request.body.<field> or \${request.body.<field>} parts`,
    );
  }
  return parts;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    // Not JSON: API Gateway routes such messages to $default, which is what "no value" means here.
    return undefined;
  }
}

function scalarAt(json: unknown, path: readonly string[]): string | undefined {
  let current: unknown = json;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return undefined;
}
