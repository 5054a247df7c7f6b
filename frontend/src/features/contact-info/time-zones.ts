import zoneData from './timezones.json';

/**
 * The canonical IANA time zones (generated from @vvo/tzdb by scripts/timezones.mjs: no legacy aliases
 * such as Asia/Calcutta or Europe/Kiev), searchable by city, country, abbreviation and offset.
 */
export type ZoneInfo = {
  name: string;
  aliases: string[];
  countryCode: string;
  countryName: string;
  cities: string[];
  abbreviations: string[];
  alternativeName: string;
};

export const ZONES: readonly ZoneInfo[] = zoneData as ZoneInfo[];
const byName = new Map(ZONES.map((z) => [z.name, z]));
const canonicalOf = new Map<string, string>();
for (const z of ZONES) {
  canonicalOf.set(z.name, z.name);
  for (const a of z.aliases) canonicalOf.set(a, z.name);
}

/** The canonical name of a zone or of one of its legacy aliases (Asia/Calcutta → Asia/Kolkata). */
export function canonicalZone(tz: string): string | undefined {
  return canonicalOf.get(tz);
}

export function timeZoneIds(): string[] {
  return ZONES.map((z) => z.name);
}

export function isValidTimeZone(tz: string): boolean {
  if (!tz) return false;
  try {
    return Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone.length > 0;
  } catch {
    return false;
  }
}

/** "GMT+1", "GMT+5:30", "GMT" at `at` (so it follows summer time). */
export function zoneOffset(tz: string, at: Date = new Date()): string {
  try {
    return (
      new Intl.DateTimeFormat('en', { timeZone: tz, timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ??
      ''
    );
  } catch {
    return '';
  }
}

const countryNames = new Map<string, Intl.DisplayNames | null>();
/** The country's name in the user's language (Italia), from its region code. */
export function countryName(code: string, language: string): string {
  if (!code) return '';
  if (!countryNames.has(language)) {
    try {
      countryNames.set(language, new Intl.DisplayNames([language], { type: 'region' }));
    } catch {
      countryNames.set(language, null);
    }
  }
  try {
    return countryNames.get(language)?.of(code) ?? '';
  } catch {
    return '';
  }
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export type ZoneOption = {
  name: string;
  /** "GMT+1" now. */
  offset: string;
  /** "Italy · Rome, Milan, Naples, Turin" in the user's language. */
  details: string;
  search: string;
};

const optionCache = new Map<string, ZoneOption[]>();

/** Every zone with its current offset, the user's own zone first, then by name. */
export function zoneOptions(language: string, own: string = browserTimeZone()): ZoneOption[] {
  const key = `${language}|${own}`;
  const cached = optionCache.get(key);
  if (cached) return cached;
  const now = new Date();
  const options = ZONES.map((z): ZoneOption => {
    const offset = zoneOffset(z.name, now);
    const localCountry = countryName(z.countryCode, language);
    const country = localCountry || z.countryName;
    const details = [country, z.cities.slice(0, 4).join(', ')].filter(Boolean).join(' · ');
    const m = /^GMT([+-])(\d+)(?::(\d+))?$/.exec(offset);
    const offsets = m
      ? [offset, `UTC${m[1]}${m[2]}${m[3] ? `:${m[3]}` : ''}`, `${m[1]}${m[2].padStart(2, '0')}:${m[3] ?? '00'}`]
      : [offset, 'UTC', '+00:00'];
    const search = fold(
      [z.name, z.name.replace(/_/g, ' '), ...z.aliases, localCountry, z.countryName, ...z.cities, ...z.abbreviations, z.alternativeName, ...offsets].join(' | '),
    );
    return { name: z.name, offset, details, search };
  });
  const first = canonicalZone(own);
  options.sort((a, b) => (a.name === first ? -1 : b.name === first ? 1 : a.name.localeCompare(b.name)));
  optionCache.set(key, options);
  return options;
}

/** Options whose text holds every word of the query ("milan", "italia", "cet", "gmt+1", "kolkata"). */
export function filterZones(options: ZoneOption[], query: string): ZoneOption[] {
  const words = fold(query).replace(/[(),]/g, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0) return options;
  return options.filter((o) => words.every((w) => o.search.includes(w)));
}

const labelCache = new Map<string, string>();

/** "Europe/Rome (GMT+1)": the id and its offset now. */
export function timeZoneLabel(tz: string, _language?: string): string {
  const cached = labelCache.get(tz);
  if (cached) return cached;
  const offset = zoneOffset(tz);
  const label = `${tz.replace(/_/g, ' ')}${offset ? ` (${offset})` : ''}`;
  labelCache.set(tz, label);
  return label;
}

/** The browser's zone under its canonical name (browsers still report Asia/Calcutta or Europe/Kiev). */
export function browserTimeZone(): string {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return canonicalZone(tz) ?? (tz && isValidTimeZone(tz) ? tz : 'UTC');
  } catch {
    return 'UTC';
  }
}

export function zoneInfo(tz: string): ZoneInfo | undefined {
  return byName.get(tz);
}
