import type { ProductHooks } from '@greenlight/local-stack/product-hooks';
import { signToken } from '../app/shared/signed-token';

/** What the local stack needs from the product: its WebSocket token format, for the sandbox's client panel. */
export const PRODUCT_HOOKS: ProductHooks = {
  websocketToken: (key, claims) => signToken(key, { aud: 'websocket', ...claims }),
};
