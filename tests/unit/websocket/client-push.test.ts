import { describe, expect, it, jest } from '@jest/globals';
import { type ApprovalChange, approvalFrame, approvalPusher } from '../../../app/websocket/client-push';
import { connectionRow, FakeSender, MemoryStore, recordingLogger } from './fakes';

const change: ApprovalChange = {
  id: 'GL-7K3F9Q',
  status: 'REJECTED',
  title: 'Open the firewall',
  requester: 'rita',
  decider: 'ana',
  comment: 'Not this week',
  at: '2026-11-22T12:00:00.000Z',
};

describe('approval pushes', () => {
  it('carry exactly the change’s fields, whatever else the caller’s object holds', () => {
    const record = { ...change, taskToken: 'secret-task-token', approvers: ['U0ANA'] };
    expect(approvalFrame(record)).toEqual({ type: 'approval', ...change });
  });

  it('leave out the optional fields a change does not have', () => {
    const pending: ApprovalChange = {
      id: 'GL-1',
      status: 'PENDING',
      title: 't',
      requester: 'r',
      at: change.at,
    };
    expect(approvalFrame(pending)).toEqual({ type: 'approval', ...pending });
  });

  it('refuse a change without an id or with an unknown status', () => {
    expect(() => approvalFrame({ ...change, id: '' })).toThrow('An approval change needs an id');
    expect(() => approvalFrame({ ...change, status: 'MAYBE' as ApprovalChange['status'] })).toThrow(
      'Unknown approval status MAYBE',
    );
  });

  it('go to every connection and report what happened', async () => {
    const store = new MemoryStore();
    for (const id of ['A', 'B', 'C'])
      store.rows.set(id, connectionRow(id, { connectedAt: Date.now() - 600_000 }));
    const sender = new FakeSender();
    sender.gone.add('C');

    const result = await approvalPusher({ store, sender, logger: recordingLogger().logger })(change);

    expect(result).toEqual({ sent: 2, gone: 1, failed: 0 });
    expect(sender.framesTo('A')).toEqual([{ type: 'approval', ...change }]);
    expect(store.rows.has('C')).toBe(false);
  });

  it('name the missing configuration when the environment lacks it', async () => {
    const saved = { table: process.env.CONNECTIONS_TABLE, url: process.env.WEBSOCKET_CALLBACK_URL };
    delete process.env.CONNECTIONS_TABLE;
    delete process.env.WEBSOCKET_CALLBACK_URL;
    try {
      await jest.isolateModulesAsync(async () => {
        const { pushApprovalChange } = await import('../../../app/websocket/client-push');
        expect(() => pushApprovalChange(change)).toThrow(
          'Invalid configuration: CONNECTIONS_TABLE is not set; WEBSOCKET_CALLBACK_URL is not set',
        );
      });
    } finally {
      if (saved.table !== undefined) process.env.CONNECTIONS_TABLE = saved.table;
      if (saved.url !== undefined) process.env.WEBSOCKET_CALLBACK_URL = saved.url;
    }
  });
});
