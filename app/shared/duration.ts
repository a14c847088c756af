const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86_400 };

/** `30m`, `4h`, `2d` → seconds; undefined when it is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([mhd])$/i.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const unit = UNIT_SECONDS[match[2].toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}
