import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A copy of template.yaml whose command workflow is the real workflows/command.asl.json with a
 * Wait state in front of it: the way to make the workflow late without changing what it does.
 */
export function templateWithSlowCommandWorkflow(delaySeconds: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-slow-'));
  const definition = JSON.parse(readFileSync('workflows/command.asl.json', 'utf8')) as {
    StartAt: string;
    States: Record<string, unknown>;
  };
  const slowed = {
    ...definition,
    StartAt: 'SlowDown',
    States: {
      SlowDown: { Type: 'Wait', Seconds: delaySeconds, Next: definition.StartAt },
      ...definition.States,
    },
  };
  const aslPath = join(dir, 'command.slow.asl.json');
  writeFileSync(aslPath, JSON.stringify(slowed));
  const template = readFileSync('template.yaml', 'utf8').replace(
    'DefinitionUri: workflows/command.asl.json',
    `DefinitionUri: ${resolve(aslPath)}`,
  );
  if (!template.includes(aslPath))
    throw new Error('template.yaml no longer names workflows/command.asl.json');
  const templatePath = join(dir, 'template.yaml');
  writeFileSync(templatePath, template);
  return templatePath;
}

/** A copy of template.yaml with the example pipeline of workflows/examples/ deployed beside it. */
export function templateWithExamplePipeline(): string {
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-example-'));
  const resource = `
  DeployWithApprovalExample:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: STANDARD
      DefinitionUri: ${resolve('workflows/examples/deploy-with-approval.asl.json')}
      DefinitionSubstitutions:
        ApprovalStateMachineArn: !Ref ApprovalStateMachine

Outputs:`;
  const template = readFileSync('template.yaml', 'utf8').replace(/\nOutputs:/, resource);
  const templatePath = join(dir, 'template.yaml');
  writeFileSync(templatePath, template);
  return templatePath;
}

/**
 * A copy of template.yaml whose approval workflow is the real workflows/approval.asl.json, except
 * that its refusal event has an empty Source: an entry EventBridge refuses, so the event put fails
 * as it would when EventBridge will not take it, and what the workflow does then can be seen. The
 * put is retried once, after a second, rather than the real five times over a minute.
 */
export function templateWithRefusedCallbackEvent(): string {
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-refused-event-'));
  const definition = JSON.parse(readFileSync('workflows/approval.asl.json', 'utf8')) as {
    States: Record<string, { Parameters?: { Entries?: Array<Record<string, unknown>> }; Retry?: unknown }>;
  };
  const emit = definition.States.EmitCallbackRefused;
  const entry = emit?.Parameters?.Entries?.[0];
  if (emit === undefined || entry === undefined)
    throw new Error('workflows/approval.asl.json has no EmitCallbackRefused entry');
  entry.Source = '';
  emit.Retry = [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 1 }];
  const aslPath = join(dir, 'approval.refused-event.asl.json');
  writeFileSync(aslPath, JSON.stringify(definition));
  const template = readFileSync('template.yaml', 'utf8').replace(
    'DefinitionUri: workflows/approval.asl.json',
    `DefinitionUri: ${resolve(aslPath)}`,
  );
  if (!template.includes(aslPath))
    throw new Error('template.yaml no longer names workflows/approval.asl.json');
  const templatePath = join(dir, 'template.yaml');
  writeFileSync(templatePath, template);
  return templatePath;
}
