// @ts-check
/**
 * Two suites, one run: the product's (`tests/`) and the local stack package's
 * (`packages/local-stack/tests`, also runnable alone with `npm test -w @greenlight/local-stack`).
 * SWC strips types (tsc checks them separately in `npm test`).
 * @type {import('jest').Config}
 */
const product = {
  displayName: 'product',
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  // Some dependencies ship ES modules only; let SWC transform them too.
  transformIgnorePatterns: ['/node_modules/(?!(aws-local-stepfunctions|gemoji)/)'],
  setupFiles: ['<rootDir>/tests/helpers/setup-env.ts'],
};

/** @type {import('jest').Config} */
const config = {
  projects: [product, '<rootDir>/packages/local-stack'],
  // Global options: jest ignores them inside a project (the package's own config sets its timeout too).
  // DynamoDB Local (GREENLIGHT_DYNAMODB=local) is a JVM each stack starts in its beforeAll: seconds,
  // more on a busy machine, where dynalite takes milliseconds.
  testTimeout: process.env.GREENLIGHT_DYNAMODB === 'local' ? 120_000 : 30_000,
  maxWorkers: 2,
};

module.exports = config;
