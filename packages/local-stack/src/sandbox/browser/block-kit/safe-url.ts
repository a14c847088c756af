/**
 * Links and images from messages go through here: only web, mail and Slack's own schemes become
 * links, and only web and inline raster/SVG images are loaded. Anything else (`javascript:`,
 * `data:text/html`, `vbscript:`) is shown as text or not at all.
 */
export function safeLinkUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return ['http:', 'https:', 'mailto:', 'slack:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const IMAGE_DATA = /^data:image\/(png|gif|jpeg|webp|svg\+xml)(;[a-z0-9=.+-]+)*,/i;

export function safeImageUrl(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (IMAGE_DATA.test(raw)) return raw;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
