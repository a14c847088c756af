// @ts-check
/**
 * The local stack's own suite: `npm test -w @greenlight/local-stack`, or one project of the root's
 * `npm test`. SWC strips types; tsc checks them in the package's `typecheck`.
 * @type {import('jest').Config}
 */
const config = {
  displayName: 'local-stack',
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
  testTimeout: 30_000,
};

module.exports = config;
