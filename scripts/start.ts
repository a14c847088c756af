import { runLocalStackCli } from '@greenlight/local-stack/start';
import { PRODUCT_HOOKS } from './local-hooks';
import { compilePolicyFile, PolicyFileError } from './policies';

// `npm start`: the local stack (packages/local-stack) running this product, with the policy file as
// it is now compiled into what the functions import; a bad file stops the start with its lines.
try {
  compilePolicyFile(process.env.GREENLIGHT_POLICIES_FILE);
  runLocalStackCli(PRODUCT_HOOKS);
} catch (error) {
  if (!(error instanceof PolicyFileError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
