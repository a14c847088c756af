/** Property names as esbuild's flags spell them: `MainFields` → `main-fields`. */
const kebab = (pascal: string) => pascal.replace(/(?<!^)(?=[A-Z])/g, '-').toLowerCase();

/**
 * The esbuild command line `sam build` runs for a function with `BuildMethod: esbuild`
 * (aws-lambda-builders' esbuild workflow): each property becomes a flag, `true` a bare one, a string
 * `--flag=value`, a list one `--flag:item` per item, `false` none; bundling, the platform and the
 * output folder are SAM's own, and the entry points come last.
 */
export function samEsbuildArgs(properties: Record<string, unknown>, outdir: string): string[] {
  const args = ['--bundle', '--platform=node', `--outdir=${outdir}`];
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'EntryPoints') continue;
    if (value === true) args.push(`--${kebab(key)}`);
    else if (typeof value === 'string') args.push(`--${kebab(key)}=${value}`);
    else if (Array.isArray(value)) args.push(...value.map((item) => `--${kebab(key)}:${String(item)}`));
    else if (value !== false) throw new Error(`sam build cannot pass ${key}: ${JSON.stringify(value)}`);
  }
  return [...args, ...(properties.EntryPoints as string[])];
}
