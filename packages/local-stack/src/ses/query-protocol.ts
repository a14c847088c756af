import { randomUUID } from 'node:crypto';
import type { SesError } from './ses-error';

const NAMESPACE = 'http://ses.amazonaws.com/doc/2010-12-01/';

/** The parameters of one AWS Query request (`Action=SendEmail&Version=2010-12-01&…`). */
export class QueryParams {
  private readonly values: URLSearchParams;

  constructor(body: string) {
    this.values = new URLSearchParams(body);
  }

  get(name: string): string | undefined {
    return this.values.get(name) ?? undefined;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Whether any parameter lives under `prefix.` (how the Query protocol spells a present structure). */
  hasStructure(prefix: string): boolean {
    return [...this.values.keys()].some((key) => key.startsWith(`${prefix}.`));
  }

  /** A list serialized as `prefix.member.1`, `prefix.member.2`, … in member order. */
  list(prefix: string): string[] {
    const pattern = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.member\\.(\\d+)$`);
    return [...this.values.entries()]
      .flatMap(([key, value]) => {
        const index = pattern.exec(key)?.[1];
        return index === undefined ? [] : [{ index: Number(index), value }];
      })
      .sort((a, b) => a.index - b.index)
      .map((entry) => entry.value);
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface XmlAnswer {
  status: number;
  requestId: string;
  xml: string;
}

/** `<{Action}Response><{Action}Result>…</…><ResponseMetadata>…` with the given result elements. */
export function successResponse(action: string, result: Readonly<Record<string, string>>): XmlAnswer {
  const requestId = randomUUID();
  const fields = Object.entries(result)
    .map(([name, value]) => `    <${name}>${escapeXml(value)}</${name}>`)
    .join('\n');
  const xml = [
    `<${action}Response xmlns="${NAMESPACE}">`,
    `  <${action}Result>`,
    fields,
    `  </${action}Result>`,
    '  <ResponseMetadata>',
    `    <RequestId>${requestId}</RequestId>`,
    '  </ResponseMetadata>',
    `</${action}Response>`,
  ].join('\n');
  return { status: 200, requestId, xml };
}

export function errorResponse(error: SesError): XmlAnswer {
  const requestId = randomUUID();
  const xml = [
    `<ErrorResponse xmlns="${NAMESPACE}">`,
    '  <Error>',
    `    <Type>${error.type}</Type>`,
    `    <Code>${escapeXml(error.code)}</Code>`,
    `    <Message>${escapeXml(error.message)}</Message>`,
    '  </Error>',
    `  <RequestId>${requestId}</RequestId>`,
    '</ErrorResponse>',
  ].join('\n');
  return { status: error.status, requestId, xml };
}
