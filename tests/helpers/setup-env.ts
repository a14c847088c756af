// The local stack's test environment (dummy AWS credentials and region), plus the product's own.
import '@greenlight/local-stack/testing/setup-env';

process.env.LOG_LEVEL ??= 'silent';
