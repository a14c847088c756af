import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { onFirstUse } from '../on-first-use';

/**
 * One CodePipeline client per container, built on first use: only an outcome a pipeline waits for
 * calls it. The endpoint comes from the SDK's standard settings (AWS_ENDPOINT_URL_CODEPIPELINE locally).
 */
export const codePipeline = onFirstUse(() => new CodePipelineClient({}));
