import { DynamoCloseOutStore } from '../approvals/adapters/dynamo-approval-store';
import { StepFunctionsApprovalExecutions } from '../approvals/adapters/sfn-approval-executions';
import { type CloseOutDeps, closeOut, sweep } from '../approvals/close-out';
import { loadCloseOutConfig } from '../approvals/config';
import { dynamodb } from '../shared/aws/dynamodb';
import { stepFunctions } from '../shared/aws/step-functions';
import { log } from '../shared/log';
import { metrics } from '../shared/metrics';
import { oncePerContainer } from '../shared/once-per-container';
import { secretsFor } from '../shared/secrets';
import { announceWiring } from './wiring/announce';

const logger = log.child({ fn: 'close-out' });
const secrets = secretsFor(['SLACK_BOT_TOKEN'], {
  // Without it the GitHub gate stays off; a stack upgraded before `secret-value` ran has none yet.
  optional: ['GITHUB_APP_PRIVATE_KEY'],
});

// Built on the first event, when the secret is read; then kept for the container's life.
const closeOutDeps = oncePerContainer(async (): Promise<CloseOutDeps> => {
  const config = loadCloseOutConfig({ ...process.env, ...(await secrets()) });
  const { deps, store } = announceWiring(
    config,
    logger,
    new DynamoCloseOutStore(dynamodb, config.approvalsTable),
  );
  return {
    ...deps,
    sweepStore: store,
    executions: new StepFunctionsApprovalExecutions(stepFunctions, config.approvalStateMachineArn),
    graceMs: config.graceSeconds * 1000,
    info: (message, fields) => logger.info(message, fields),
  };
});

/** A decision handed off by the Slack or e-mail-link function, or the schedule's sweep. */
export type CloseOutEvent = { task: 'close-out'; approvalId: string; reason: string } | { task: 'sweep' };

/** Thrown for an event no caller of ours sends: Lambda retries it, then dead-letters it for a look. */
class InvalidCloseOutEventError extends Error {
  override readonly name = 'Greenlight.InvalidCloseOutEvent';
}

function parseEvent(event: unknown): CloseOutEvent {
  const value = (event ?? {}) as Record<string, unknown>;
  if (value.task === 'sweep') return { task: 'sweep' };
  if (value.task === 'close-out' && typeof value.approvalId === 'string' && value.approvalId !== '') {
    return {
      task: 'close-out',
      approvalId: value.approvalId,
      reason: typeof value.reason === 'string' ? value.reason.slice(0, 200) : 'unspecified',
    };
  }
  throw new InvalidCloseOutEventError(`Expected {"task":"sweep"} or {"task":"close-out","approvalId":…}`);
}

/**
 * Closes requests out when no workflow will: one handed off (invoked asynchronously, with
 * Lambda's retries and dead-letter queue behind it), or every one the scheduled sweep finds. A
 * hand-off that fails throws, so Lambda retries it; the sweep reports what it fixed in a log line
 * and as metrics (an EMF line, app/shared/metrics.ts).
 */
export async function handler(event: unknown): Promise<unknown> {
  const task = parseEvent(event);
  const deps = await closeOutDeps();
  if (task.task === 'close-out') return closeOut(deps, task);
  const report = await sweep(deps);
  logger.info('close_out_sweep', { ...report });
  metrics.emit({
    sweepAnnounced: report.announced,
    sweepExpired: report.expired,
    sweepFailed: report.failed,
  });
  return report;
}
