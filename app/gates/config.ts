import { type DecisionSettings, readDecisionSettings } from '../approvals';
import { EnvReader } from '../shared/config';

export interface ApiConfig extends DecisionSettings {
  gatesTable: string;
  approvalStateMachineArn: string;
  /** Where a request that names no channel is posted; without one, `channel` is required. */
  defaultChannel: string | undefined;
  /** Slack user ids who decide GitHub deployments, and CodePipeline approvals. */
  githubApprovers: string[];
  pipelineApprovers: string[];
}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const reader = new EnvReader(env);
  const config: ApiConfig = {
    ...readDecisionSettings(reader),
    gatesTable: reader.required('GATES_TABLE'),
    approvalStateMachineArn: reader.required('APPROVAL_STATE_MACHINE_ARN'),
    defaultChannel: reader.optional('GATES_DEFAULT_CHANNEL'),
    githubApprovers: (reader.optional('GITHUB_APPROVERS') ?? '').split(/[\s,]+/).filter(Boolean),
    pipelineApprovers: (reader.optional('PIPELINE_APPROVERS') ?? '').split(/[\s,]+/).filter(Boolean),
  };
  reader.done();
  return config;
}
