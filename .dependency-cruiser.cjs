/**
 * The layout's rules (docs: DESIGN.md §1), checked by `npm run lint:deps` in `npm test`.
 * app/functions/<name>.ts are the composition roots: the only files that wire features together,
 * so they may import any module. A feature (slack, approvals, websocket) reaches another only
 * through that feature's public index.ts. tests/unit/dependency-rules.test.ts shows each rule fail.
 */
const FEATURES = '(slack|approvals|websocket|gates|policies)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'feature-internals',
      comment:
        'A feature imports another feature only through its index.ts; app/functions wires internals together.',
      severity: 'error',
      from: { path: `^app/${FEATURES}/` },
      to: { path: `^app/${FEATURES}/`, pathNot: ['^app/$1/', `^app/${FEATURES}/index\\.ts$`] },
    },
    {
      name: 'approvals-is-the-domain',
      comment: 'Slack and the WebSocket bridge depend on the approvals domain, never the other way round.',
      severity: 'error',
      from: { path: '^app/approvals/' },
      to: { path: '^app/(slack|websocket|functions)/' },
    },
    {
      name: 'approvals-core-without-aws-or-slack',
      comment:
        'The approvals core is handed its stores and notifiers: only approvals/adapters may use the AWS SDK or Slack clients.',
      severity: 'error',
      from: { path: '^app/approvals/', pathNot: '^app/approvals/adapters/' },
      to: {
        path: [
          '(^|/)node_modules/(@aws-sdk|@smithy|@slack/bolt|@slack/web-api|@slack/socket-mode|@slack/oauth)/',
          '^(@aws-sdk|@smithy|@slack/bolt|@slack/web-api)/',
          '^app/shared/aws/',
        ],
      },
    },
    {
      name: 'gates-core-without-aws',
      comment:
        'The gates core (API, webhook, receipts) is handed its store and starter: only gates/adapters may use the AWS SDK.',
      severity: 'error',
      from: { path: '^app/gates/', pathNot: '^app/gates/adapters/' },
      to: {
        path: ['(^|/)node_modules/(@aws-sdk|@smithy)/', '^(@aws-sdk|@smithy)/', '^app/shared/aws/'],
      },
    },
    {
      name: 'only-functions-import-functions',
      comment: 'Lambda entries are roots: nothing else imports them.',
      severity: 'error',
      from: { path: '^app/', pathNot: '^app/functions/' },
      to: { path: '^app/functions/' },
    },
    {
      name: 'shared-is-featureless',
      comment: 'app/shared serves every feature and so imports none.',
      severity: 'error',
      from: { path: '^app/shared/' },
      to: { path: `^app/(${FEATURES.slice(1, -1)}|functions)/` },
    },
    {
      name: 'production-never-imports-local-or-tests',
      comment: 'What is deployed never loads the local stack (@greenlight/local-stack) or test code.',
      severity: 'error',
      from: { path: '^app/' },
      to: {
        path: [
          '^(tests|local|packages/local-stack)/',
          '(^|/)node_modules/@greenlight/local-stack/',
          '^@greenlight/local-stack($|/)',
        ],
      },
    },
    {
      name: 'no-cycles',
      comment: 'An import cycle ties two modules into one: split the shared part out instead.',
      severity: 'error',
      from: { path: '^app/' },
      to: { circular: true },
    },
    {
      name: 'resolvable',
      comment: 'An import that does not resolve is a broken build; say so here too, with the file.',
      severity: 'error',
      from: { path: '^app/' },
      to: { couldNotResolve: true, pathNot: '^(node:|aws-lambda$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7 has no compiler API for dependency-cruiser to parse with; swc reads the sources.
    parser: 'swc',
    // Type-only imports count too: they tie the modules' designs together all the same.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
