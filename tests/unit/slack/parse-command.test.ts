import { describe, expect, it } from '@jest/globals';
import { parseDuration } from '../../../app/shared/duration';
import { parseCommand } from '../../../app/slack/commands/parse-command';

function errorOf(text: string): string {
  const result = parseCommand(text);
  if (result.ok) throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(result.command)}`);
  return result.error;
}

describe('parseCommand', () => {
  it('opens the request modal when there is no text', () => {
    expect(parseCommand('   ')).toEqual({ ok: true, command: { kind: 'open-modal' } });
  });

  it('reads a request with a title, mentioned approvers, a timeout and --email', () => {
    const result = parseCommand('request Deploy v2 to prod <@U0ANA|ana> <@W0BOB> --timeout 4h --email');
    expect(result).toEqual({
      ok: true,
      command: {
        kind: 'request',
        title: 'Deploy v2 to prod',
        approvers: ['U0ANA', 'W0BOB'],
        groups: [],
        timeoutSeconds: 14_400,
        email: true,
      },
    });
  });

  it('keeps a quoted title together and accepts --timeout=30m', () => {
    const result = parseCommand('request "Rotate the DB password" <@U0ANA> --timeout=30m');
    expect(result).toMatchObject({
      ok: true,
      command: { title: 'Rotate the DB password', timeoutSeconds: 1800 },
    });
  });

  it('leaves the timeout to the policy (or the default), with no e-mail and no approvers', () => {
    expect(parseCommand('request Buy a team licence')).toEqual({
      ok: true,
      command: { kind: 'request', title: 'Buy a team licence', approvers: [], groups: [], email: false },
    });
  });

  it('reads a quorum, a policy and user groups as Slack escapes them', () => {
    expect(
      parseCommand(
        'request "Deploy v2" <@U0ANA> <!subteam^S0RELEASE|@release-managers> <!subteam^S0OPS> --need 2',
      ),
    ).toEqual({
      ok: true,
      command: {
        kind: 'request',
        title: 'Deploy v2',
        approvers: ['U0ANA'],
        groups: [{ id: 'S0RELEASE', handle: '@release-managers' }, { id: 'S0OPS' }],
        email: false,
        need: 2,
      },
    });
    expect(parseCommand('request "Deploy v2" --policy prod-deploy')).toMatchObject({
      command: { policy: 'prod-deploy' },
    });
    expect(parseCommand('request X <@U0ANA> --need=all')).toMatchObject({ command: { need: 'all' } });
  });

  it.each([
    ['a quorum that is not a number', 'request X <@U0ANA> --need two', '`--need` takes how many'],
    ['a quorum of zero', 'request X <@U0ANA> --need 0', '`--need` takes how many'],
    ['a policy without a name', 'request X --policy', '`--policy` takes a policy name'],
    ['a quorum beside a policy', 'request X --policy prod-deploy --need 2', 'leave out `--need`'],
  ])('refuses %s', (_name, text, error) => {
    const result = parseCommand(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(error);
  });

  it('lists an approver mentioned twice once', () => {
    expect(parseCommand('request Ship it <@U0ANA> <@U0ANA|ana>')).toMatchObject({
      command: { approvers: ['U0ANA'] },
    });
  });

  it('reads subcommands in any case and normalizes ids', () => {
    expect(parseCommand('STATUS gl-7k3f9q')).toEqual({
      ok: true,
      command: { kind: 'status', approvalId: 'GL-7K3F9Q' },
    });
    expect(parseCommand('cancel 7K3F9Q')).toEqual({
      ok: true,
      command: { kind: 'cancel', approvalId: 'GL-7K3F9Q' },
    });
    expect(parseCommand('list')).toEqual({ ok: true, command: { kind: 'list' } });
    expect(parseCommand('help me')).toEqual({ ok: true, command: { kind: 'help' } });
  });

  describe('refuses bad input with a message that says what to fix', () => {
    it.each([
      ['request', /Add a title/],
      ['request <@U0ANA> --email', /Add a title/],
      [`request ${'x'.repeat(151)}`, /151 characters; keep it to 150/],
      ['request Ship it --timeout', /needs a duration/],
      ['request Ship it --timeout --email', /needs a duration/],
      ['request Ship it --timeout soon', /`soon` is not a duration/],
      ['request Ship it --timeout 30s', /`30s` is not a duration/],
      ['request Ship it --timeout 0m', /at least 1 minute/],
      ['request Ship it --timeout 31d', /at most 30 days/],
      ['request Ship it --timeout 1h --timeout 2h', /only once/],
      ['request Ship it --email=yes', /takes no value/],
      ['request Ship it --urgent', /don't know the option `--urgent`/],
      ['request Ship it @bob', /can't find the user `@bob`/],
      ['request Ship it <!here>', /`@here` is not a person/],
      ['request Ship it <#C0APPROVAL|approvals>', /`approvals` is not a person/],
      [
        `request Ship it ${Array.from({ length: 11 }, (_, i) => `<@U0A${i}>`).join(' ')}`,
        /at most 10 approvers/,
      ],
      ['status', /Which request\?/],
      ['status GL-7K3F9Q GL-AAAAAA', /takes one request id; remove `GL-AAAAAA`/],
      ['status bananas', /`bananas` is not a request id/],
      ['cancel GL-12345', /`GL-12345` is not a request id/],
      ['list everything', /`list` takes no arguments/],
      ['reqest Ship it', /Did you mean `request`\?/],
      ['approve GL-7K3F9Q', /don't know the command `approve`/],
      ['x'.repeat(3001), /too long/],
    ])('%s', (text, message) => {
      expect(errorOf(text)).toMatch(message);
    });
  });
});

describe('parseDuration', () => {
  it('reads minutes, hours and days', () => {
    expect([parseDuration('15m'), parseDuration('2H'), parseDuration('1d')]).toEqual([900, 7200, 86_400]);
  });

  it('refuses other shapes', () => {
    expect([parseDuration('1.5h'), parseDuration('h'), parseDuration('-1h'), parseDuration('1w')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
