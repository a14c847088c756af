import type * as LambdaChunk from './aws/lambda-chunk';

export type LambdaModule = typeof LambdaChunk;

let loaded: LambdaModule | undefined;

/**
 * The Lambda client and its Invoke command, loaded on the first call. In the Slack function's
 * deployment they are the file shared/aws/lambda-chunk.js, and Node resolves this `require` from
 * the handler's file (functions/slack.js): so this module sits one folder below app/, as the
 * handler does, where the same path also finds the TypeScript source. Other functions bundle the
 * chunk in.
 */
export function loadLambda(): LambdaModule {
  loaded ??= require('../shared/aws/lambda-chunk') as LambdaModule;
  return loaded;
}
