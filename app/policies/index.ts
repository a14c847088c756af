import type { PolicySet } from './model';
import compiled from './policies.json';

export * from './model';

/** The policies this bundle was built with (greenlight.policies.yaml, compiled by `npm run policies`). */
export const BUNDLED_POLICIES = compiled as PolicySet;
