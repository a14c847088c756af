import { describe, expect, it } from '@jest/globals';
import { currentCorrelationId, edgeCorrelationId, withCorrelationId } from '../../../app/shared/correlation';

describe('correlation ids', () => {
  it("names an edge after API Gateway's request id, the one in its own logs", () => {
    expect(edgeCorrelationId({ requestContext: { requestId: 'apigw-1' } }, 'lambda-1')).toBe('apigw-1');
  });

  it("falls back to the invocation's id where no API Gateway request came in", () => {
    expect(edgeCorrelationId({ task: 'announce-outcome' }, 'lambda-1')).toBe('lambda-1');
    expect(edgeCorrelationId(null, 'lambda-2')).toBe('lambda-2');
  });

  it('reads the id of the request being handled, and mints one outside any', async () => {
    const inside = await withCorrelationId('req-9', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentCorrelationId();
    });
    const outside = currentCorrelationId();
    expect(inside).toBe('req-9');
    expect(outside).toMatch(/^[0-9a-f-]{36}$/);
    expect(currentCorrelationId()).not.toBe(outside);
  });
});
