import { runLocalStackCli } from '@greenlight/local-stack/start';
import { PRODUCT_HOOKS } from './local-hooks';

// `npm start`: the local stack (packages/local-stack) running this product.
runLocalStackCli(PRODUCT_HOOKS);
