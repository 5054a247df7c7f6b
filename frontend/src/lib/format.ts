import type { DayOfWeek } from '../gql/graphql';

export const DAYS: DayOfWeek[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(iso: string | null | undefined, language: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(date);
}

/** A local "HH:MM" time in the user's locale (e.g. 9:00 AM in English, 09:00 in Italian). */
export function formatLocalTime(hhmm: string, language: string): string {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) return hhmm;
  const date = new Date(Date.UTC(2000, 0, 1, Number(match[1]), Number(match[2])));
  return new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(date);
}

/** Day names in the user's language; 2024-01-01 was a Monday. */
export function dayName(day: DayOfWeek, language: string, width: 'short' | 'long' = 'short'): string {
  const index = DAYS.indexOf(day);
  const date = new Date(Date.UTC(2024, 0, 1 + index, 12));
  return new Intl.DateTimeFormat(language, { weekday: width, timeZone: 'UTC' }).format(date);
}

/** "Mon–Fri" for consecutive runs, "Mon, Wed" otherwise. */
export function formatDays(days: readonly DayOfWeek[], language: string): string {
  const sorted = [...new Set(days)].sort((a, b) => DAYS.indexOf(a) - DAYS.indexOf(b));
  const runs: DayOfWeek[][] = [];
  for (const day of sorted) {
    const last = runs[runs.length - 1];
    if (last && DAYS.indexOf(day) === DAYS.indexOf(last[last.length - 1]) + 1) last.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) =>
      run.length >= 3
        ? `${dayName(run[0], language)}–${dayName(run[run.length - 1], language)}`
        : run.map((d) => dayName(d, language)).join(', '),
    )
    .join(', ');
}

export function initials(name: string | null | undefined, email: string): string {
  const source = (name ?? '').trim() || email;
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

/** A wait of seconds as the language says "in 3 hours" / "tra 3 ore" (minutes under an hour, rounded up). */
export function formatWait(seconds: number, language: string): string {
  const unit = seconds >= 3600 ? 'hour' : 'minute';
  const n = Math.ceil(seconds / (unit === 'hour' ? 3600 : 60));
  return new Intl.RelativeTimeFormat(language, { numeric: 'always' }).format(n, unit);
}
