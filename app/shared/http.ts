import type { APIGatewayProxyResult } from 'aws-lambda';

/** API Gateway proxy responses, built in one place so every path returns a well-formed result. */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function empty(statusCode = 200): APIGatewayProxyResult {
  return { statusCode, headers: {}, body: '' };
}

/** An error response with a stable machine-readable code and a sentence for people. */
export function problem(statusCode: number, error: string, message: string): APIGatewayProxyResult {
  return json(statusCode, { error, message });
}
