import type { DayOfWeek } from '../../gql/graphql';
import { DAYS, formatDays, formatLocalTime } from '../../lib/format';
import type { WindowValue } from './form-model';
import { zoneOffset } from './time-zones';

const WEEKDAYS: DayOfWeek[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];

export type PresetKey = 'alwaysOpen' | 'weekdays917' | 'weekdays918Sat' | 'everyDay820';
export const PRESET_KEYS: PresetKey[] = ['alwaysOpen', 'weekdays917', 'weekdays918Sat', 'everyDay820'];

/** The windows of a preset, in the given zone (null: 24/7). */
export function presetWindows(key: PresetKey, timeZone: string): WindowValue[] | null {
  switch (key) {
    case 'alwaysOpen':
      return null;
    case 'weekdays917':
      return [{ days: [...WEEKDAYS], opens: '09:00', closes: '17:00', timeZone }];
    case 'weekdays918Sat':
      return [
        { days: [...WEEKDAYS], opens: '09:00', closes: '18:00', timeZone },
        { days: ['SATURDAY'], opens: '09:00', closes: '13:00', timeZone },
      ];
    case 'everyDay820':
      return [{ days: [...DAYS], opens: '08:00', closes: '20:00', timeZone }];
  }
}

/** A new window after `windows`: the previous window's zone and hours, on the days not yet covered. */
export function nextWindow(windows: readonly WindowValue[], fallback: WindowValue): WindowValue {
  const last = windows[windows.length - 1];
  if (!last) return fallback;
  const covered = new Set(windows.flatMap((w) => w.days));
  return { days: DAYS.filter((d) => !covered.has(d)), opens: last.opens, closes: last.closes, timeZone: last.timeZone };
}

function minutes(hhmm: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function offsetMinutes(tz: string): number {
  const m = /^GMT([+-])(\d+)(?::(\d+))?$/.exec(zoneOffset(tz));
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const WEEK = 7 * 1440;

/** A window's stretches on a UTC week (minutes from Monday 00:00 UTC), at today's offsets. */
function stretches(w: WindowValue): Array<[number, number]> {
  const opens = minutes(w.opens);
  const closes = minutes(w.closes);
  if (opens === null || closes === null || opens === closes) return [];
  const length = closes > opens ? closes - opens : 1440 - opens + closes; // past midnight
  const shift = offsetMinutes(w.timeZone);
  return w.days.map((d) => {
    const start = (((DAYS.indexOf(d) * 1440 + opens - shift) % WEEK) + WEEK) % WEEK;
    return [start, start + length];
  });
}

function intersect(a: [number, number], b: [number, number]): boolean {
  // Compare on the week's circle: also against b moved one week either way.
  return [-WEEK, 0, WEEK].some((k) => a[0] < b[1] + k && b[0] + k < a[1]);
}

/** Pairs of windows (1-based numbers) that overlap somewhere in the week. */
export function overlappingWindows(windows: readonly WindowValue[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const all = windows.map(stretches);
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (all[i].some((a) => all[j].some((b) => intersect(a, b)))) found.push([i + 1, j + 1]);
    }
  }
  return found;
}

/** "Mon–Fri 09:00–18:00, Sat 10:00–14:00, Europe/Rome": windows grouped by zone, in plain words. */
export function hoursSummary(windows: readonly WindowValue[], language: string): string {
  const byZone = new Map<string, string[]>();
  for (const w of windows) {
    if (w.days.length === 0 || !w.opens || !w.closes) continue;
    const text = `${formatDays(w.days, language)} ${formatLocalTime(w.opens, language)}–${formatLocalTime(w.closes, language)}`;
    const zone = w.timeZone || '?';
    byZone.set(zone, [...(byZone.get(zone) ?? []), text]);
  }
  return [...byZone.entries()].map(([zone, parts]) => `${parts.join(', ')}, ${zone}`).join('; ');
}
