import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type PublicJwk, verifyReceipt } from '../app/gates/receipts';

const USAGE = `Usage: npm run -s verify-receipt -- FILE|- --jwks KEYS.json [--digest DIGEST]

Verifies a Greenlight decision receipt offline and prints the decision.
  FILE|-     the receipt (the compact JWS), or a JSON object with a "receipt" field (GET /approvals/{id})
  --jwks     the receipt keys, saved once from GET /approvals/keys (stack output ReceiptKeysUrl)
  --digest   the artifact digest you are about to let through: the receipt must be for exactly it
Exit status: 0 verified, 1 not verified, 2 usage.`;

class UsageError extends Error {}

/** The receipt in a file: the bare JWS, or the API's answer holding it. */
export function receiptIn(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  const parsed = JSON.parse(trimmed) as { receipt?: unknown };
  if (typeof parsed.receipt !== 'string') throw new UsageError('That JSON has no "receipt" field');
  return parsed.receipt;
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { jwks: { type: 'string' }, digest: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [file] = positionals;
  if (file === undefined || positionals.length !== 1)
    throw new UsageError('Give one receipt file, or - for stdin');
  if (values.jwks === undefined)
    throw new UsageError('--jwks is required (save GET /approvals/keys to a file)');
  const receipt = receiptIn(readFileSync(file === '-' ? 0 : file, 'utf8'));
  const jwks = JSON.parse(readFileSync(values.jwks, 'utf8')) as { keys?: Array<Partial<PublicJwk>> };
  if (!Array.isArray(jwks.keys)) throw new UsageError(`${values.jwks} is not a JWKS ({"keys": [...]})`);
  const checked = verifyReceipt(
    receipt,
    { keys: jwks.keys },
    values.digest === undefined ? {} : { digest: values.digest },
  );
  if (!checked.ok) {
    console.error(`NOT VERIFIED: ${checked.reason}`);
    return 1;
  }
  const p = checked.payload;
  const deciders = p.deciders.map(
    (d) => `${d.id} ${d.decision} at ${d.at}${d.comment ? ` ("${d.comment}")` : ''}`,
  );
  console.log(
    [
      `VERIFIED (key ${checked.kid})`,
      `  request   ${p.sub}: ${p.title}`,
      `  outcome   ${p.outcome}`,
      `  artifact  ${p.artifact ? `${p.artifact.kind} ${p.artifact.digest}${p.artifact.ref ? ` (${p.artifact.ref})` : ''}` : '(none)'}`,
      `  deciders  ${deciders.length > 0 ? deciders.join('; ') : '(none)'}`,
      `  policy    ${p.policy ?? '(none)'}`,
      `  requested ${p.requestedAt} by ${p.requester}`,
    ].join('\n'),
  );
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (error) {
    console.error(
      error instanceof UsageError
        ? `${error.message}\n\n${USAGE}`
        : error instanceof Error
          ? error.message
          : error,
    );
    process.exitCode = 2;
  }
}
