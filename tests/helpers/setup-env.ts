// Tests never reach AWS: dummy credentials and region for every SDK client they build.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.LOG_LEVEL ??= 'silent';
