import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const DOMAIN = 'app/approvals';

describe('the approvals domain', () => {
  it('imports neither the AWS SDK nor Bolt nor the Slack Web API: adapters and handlers do', () => {
    const files = readdirSync(DOMAIN).filter((name) => name.endsWith('.ts'));
    const offenders = files.filter((name) =>
      /from '(@aws-sdk\/|@slack\/bolt|@slack\/web-api)/.test(readFileSync(join(DOMAIN, name), 'utf8')),
    );
    expect(files.length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});
