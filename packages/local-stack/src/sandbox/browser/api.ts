import type { ApiResult } from '../protocol';

/** POSTs JSON to the sandbox API; every answer, even a failure, comes back as `{ ok, … }`. */
export async function post<T>(path: string, body: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: 'The sandbox server cannot be reached. Is the stack still running?' };
  }
  try {
    return (await response.json()) as ApiResult<T>;
  } catch {
    return { ok: false, error: `The sandbox answered HTTP ${response.status}.` };
  }
}
