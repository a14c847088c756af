import { randomUUID } from 'node:crypto';

export interface ArnScope {
  region: string;
  accountId: string;
}

export function stateMachineArn(scope: ArnScope, name: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
}

/** STANDARD executions are named by their name alone; EXPRESS ones also carry an id, as on AWS. */
export function executionArn(
  scope: ArnScope,
  type: 'STANDARD' | 'EXPRESS',
  machine: string,
  name: string,
): string {
  return type === 'STANDARD'
    ? `arn:aws:states:${scope.region}:${scope.accountId}:execution:${machine}:${name}`
    : `arn:aws:states:${scope.region}:${scope.accountId}:express:${machine}:${name}:${randomUUID()}`;
}

export interface ParsedStatesArn {
  resourceType: string;
  /** The colon-separated parts after the resource type. */
  resource: string[];
}

/** Parses `arn:aws:states:<region>:<account>:<type>:...`; undefined when it is no such ARN. */
export function parseStatesArn(arn: string): ParsedStatesArn | undefined {
  const parts = arn.split(':');
  const [prefix, partition, service, region, account, resourceType, ...resource] = parts;
  if (prefix !== 'arn' || !partition?.startsWith('aws') || service !== 'states') return undefined;
  if (!region || !account || !resourceType || resource.length === 0) return undefined;
  return { resourceType, resource };
}
