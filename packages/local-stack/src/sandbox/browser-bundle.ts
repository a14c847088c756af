import { join } from 'node:path';

export interface BrowserBundle {
  js: string;
  css: string;
}

const SCRIPT = join(__dirname, 'browser', 'main.ts');
const STYLES = join(__dirname, 'browser', 'styles.css');

let bundling: Promise<BrowserBundle> | undefined;

async function bundle(): Promise<BrowserBundle> {
  // Loaded here, not at startup: a stack whose page is never opened never loads esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [SCRIPT, STYLES],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outdir: 'sandbox-out',
    minify: true,
    sourcemap: 'inline',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = (extension: string) => {
    const output = result.outputFiles.find((candidate) => candidate.path.endsWith(extension));
    if (output === undefined) throw new Error(`the sandbox bundle has no ${extension} output`);
    return output.text;
  };
  return { js: file('.js'), css: file('.css') };
}

/**
 * The page's script and styles, built from TypeScript by esbuild on first request (about 50 ms) and
 * kept for the life of the process: nothing is fetched from a CDN, and stacks that never serve the
 * page never pay for the build. A failed build is not kept, so the next request tries again.
 */
export function browserBundle(): Promise<BrowserBundle> {
  bundling ??= bundle().catch((error: unknown) => {
    bundling = undefined;
    throw error;
  });
  return bundling;
}
