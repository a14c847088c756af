import type { Template } from '@greenlight/local-stack/template';

/** One IAM statement as template.yaml writes it: intrinsics are left as their JSON forms. */
export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

type Conditions = Readonly<Record<string, boolean>>;

/** Both branches of every condition matter; by default a stack that sends e-mail (the larger grant). */
const ALL_ON: Conditions = { SendsEmail: true };

function resource(template: Template, id: string) {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`template.yaml has no ${id}`);
  return found;
}

/** Statements with each `!If [condition, then, else]` chosen, and `AWS::NoValue` dropped. */
function resolveConditions(statements: unknown[], conditions: Conditions): PolicyStatement[] {
  return statements.flatMap((statement) => {
    const branch = (statement as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
    if (branch === undefined) return [statement as PolicyStatement];
    const [name, whenTrue, whenFalse] = branch;
    const chosen = conditions[name] ? whenTrue : whenFalse;
    const isNoValue = (chosen as { Ref?: string } | undefined)?.Ref === 'AWS::NoValue';
    return isNoValue ? [] : resolveConditions([chosen], conditions);
  });
}

/** The logical id of a function's execution role, from its `Role: !GetAtt XRole.Arn`. */
export function roleIdOf(template: Template, functionId: string): string {
  const role = resource(template, functionId).Properties?.Role as { 'Fn::GetAtt'?: string[] } | undefined;
  const id = role?.['Fn::GetAtt']?.[0];
  if (id === undefined) throw new Error(`${functionId} has no Role: !GetAtt <role>.Arn`);
  return id;
}

/** Every statement a function's own role grants (all its inline policies). */
export function roleStatements(
  template: Template,
  functionId: string,
  conditions: Conditions = ALL_ON,
): PolicyStatement[] {
  const role = resource(template, roleIdOf(template, functionId));
  const policies = (role.Properties?.Policies ?? []) as Array<{ PolicyDocument?: { Statement?: unknown[] } }>;
  return resolveConditions(
    policies.flatMap((policy) => policy.PolicyDocument?.Statement ?? []),
    conditions,
  );
}

/** Every statement of a state machine's `Policies` (SAM builds its role from them). */
export function stateMachineStatements(
  template: Template,
  id: string,
  conditions: Conditions = ALL_ON,
): PolicyStatement[] {
  const policies = (resource(template, id).Properties?.Policies ?? []) as Array<{ Statement?: unknown[] }>;
  return resolveConditions(
    policies.flatMap((policy) => policy.Statement ?? []),
    conditions,
  );
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}
