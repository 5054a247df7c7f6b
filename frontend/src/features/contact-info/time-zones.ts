/** IANA time zones the browser knows, plus UTC, for the support-hours autocomplete. */
let zones: string[] | undefined;

export function timeZoneIds(): string[] {
  if (!zones) {
    const supported =
      typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Europe/Rome', 'Europe/London', 'America/New_York'];
    zones = Array.from(new Set([...supported, 'UTC'])).sort((a, b) => a.localeCompare(b));
  }
  return zones;
}

export function isValidTimeZone(tz: string): boolean {
  if (!tz) return false;
  try {
    return Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone.length > 0;
  } catch {
    return false;
  }
}

const labelCache = new Map<string, string>();

/** "Europe/Rome · Ora dell'Europa centrale": the id, and its name in the user's language. */
export function timeZoneLabel(tz: string, language: string): string {
  const key = `${language}|${tz}`;
  const cached = labelCache.get(key);
  if (cached) return cached;
  let name = '';
  try {
    name =
      new Intl.DateTimeFormat(language, { timeZone: tz, timeZoneName: 'longGeneric' })
        .formatToParts(new Date())
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    name = '';
  }
  const id = tz.replace(/_/g, ' ');
  const label = name && name !== tz ? `${id} · ${name}` : id;
  labelCache.set(key, label);
  return label;
}

export function browserTimeZone(): string {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz && isValidTimeZone(tz) ? tz : 'UTC';
  } catch {
    return 'UTC';
  }
}
