import { describe, expect, it } from '@jest/globals';
import type { Approval } from '../../../app/approvals';
import {
  adoptCorrelationId,
  currentCorrelationId,
  edgeCorrelationId,
  validCorrelationId,
  withCorrelationId,
} from '../../../app/shared/correlation';
import { currentLogFields } from '../../../app/shared/log';
import { approvalMessage, correlationIdOfDecisionBlock } from '../../../app/slack/views/approval-message';

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

describe('a correlation id read back from a Slack payload', () => {
  it('becomes the id of the rest of the request, and the edge’s own id stays as edgeId', () => {
    const seen = withCorrelationId('click-edge-id', () => {
      adoptCorrelationId('the-request-id');
      return { id: currentCorrelationId(), fields: currentLogFields() };
    });
    expect(seen).toEqual({
      id: 'the-request-id',
      fields: { correlationId: 'the-request-id', edgeId: 'click-edge-id' },
    });
  });

  it('changes nothing outside a request', () => {
    adoptCorrelationId('the-request-id');
    expect(currentLogFields()).toBeUndefined();
  });

  it('is used only if it looks like one', () => {
    expect(validCorrelationId('4f1c2b7e-0d7a-4d8e-9d55-3c2f0f6f8a10')).toBe(
      '4f1c2b7e-0d7a-4d8e-9d55-3c2f0f6f8a10',
    );
    expect(validCorrelationId('a\nforged":"line')).toBeUndefined();
    expect(validCorrelationId('x'.repeat(129))).toBeUndefined();
    expect(validCorrelationId(42)).toBeUndefined();
  });
});

describe('the approval message’s buttons', () => {
  const pending = {
    id: 'GL-7K3F9Q',
    title: 'Deploy',
    requester: 'U0REQUESTR',
    approvers: ['U0APPROVER'],
    channelId: 'C0APPROVAL',
    status: 'PENDING',
    createdAt: '2026-12-06T10:00:00.000Z',
    expiresAt: '2026-12-06T14:00:00.000Z',
  } as unknown as Approval;
  const blockIdOf = (message: ReturnType<typeof approvalMessage>) =>
    (message.blocks.find((block) => block.type === 'actions') as { block_id?: string } | undefined)?.block_id;

  it('carry the request’s correlation id in their block, which a click reads back', () => {
    const blockId = blockIdOf(approvalMessage(pending, 'the-request-id'));
    expect(blockId).toBe('approval_decision:the-request-id');
    expect(correlationIdOfDecisionBlock(blockId)).toBe('the-request-id');
  });

  it('carry none when there is none, or when it does not look like one', () => {
    expect(blockIdOf(approvalMessage(pending))).toBe('approval_decision');
    expect(blockIdOf(approvalMessage(pending, 'not one'))).toBe('approval_decision');
    expect(correlationIdOfDecisionBlock('approval_decision')).toBeUndefined();
    expect(correlationIdOfDecisionBlock('approval_decision:not one')).toBeUndefined();
    expect(correlationIdOfDecisionBlock('actions')).toBeUndefined();
  });
});
