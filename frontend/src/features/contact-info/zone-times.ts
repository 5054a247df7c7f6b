import { zoneOffset } from './time-zones';

type Window = { opens: string; closes: string; timeZone: string };

function offsetMinutes(tz: string, at: Date): number {
  const m = /^GMT([+-])(\d+)(?::(\d+))?$/.exec(zoneOffset(tz, at));
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** "Rome" for Europe/Rome, "New York" for America/New_York. */
export function placeName(tz: string): string {
  return (tz.split('/').pop() ?? tz).replace(/_/g, ' ');
}

function wallTime(date: Date, tz: string, language: string, weekday: boolean): string {
  return new Intl.DateTimeFormat(language, {
    ...(weekday ? { weekday: 'short' as const } : {}),
    hour: 'numeric',
    minute: '2-digit',
    timeZone: tz,
  }).format(date);
}

function hhmm(date: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(date);
}

/** "in 3 hours", "tomorrow", "in 25 minutes" in the user's language. */
export function relativeTo(date: Date, now: Date, language: string): string {
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const minutes = Math.round((date.getTime() - now.getTime()) / 60000);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

/**
 * When support next opens or closes, in the zone of the window that changes then ("Mon 09:00", "Rome"),
 * in the viewer's own time when that differs, and relative to now.
 */
export function changeWhen(
  iso: string,
  windows: readonly Window[],
  viewer: string,
  language: string,
  now: Date = new Date(),
): { there: string; place: string; yours: string; relative: string } {
  const date = new Date(iso);
  const zone =
    windows.find((w) => {
      const local = hhmm(date, w.timeZone);
      return local === w.opens || local === w.closes;
    })?.timeZone ??
    windows[0]?.timeZone ??
    viewer;
  const there = wallTime(date, zone, language, true);
  const differs = offsetMinutes(zone, date) !== offsetMinutes(viewer, date);
  // The weekday is repeated only when it is another day for the viewer.
  const yours = differs ? wallTime(date, viewer, language, dayDiffers(date, zone, viewer)) : '';
  return { there, place: placeName(zone), yours, relative: relativeTo(date, now, language) };
}

function dayDiffers(date: Date, a: string, b: string): boolean {
  const day = (tz: string) => new Intl.DateTimeFormat('en', { weekday: 'short', timeZone: tz }).format(date);
  return day(a) !== day(b);
}

/** A window's hours in the viewer's zone today ("08:00"–"17:00"), or null when the zones agree now. */
export function viewerHours(w: Window, viewer: string, now: Date = new Date()): { opens: string; closes: string } | null {
  const shift = offsetMinutes(viewer, now) - offsetMinutes(w.timeZone, now);
  if (shift === 0) return null;
  const move = (t: string) => {
    const m = /^(\d{2}):(\d{2})$/.exec(t);
    if (!m) return t;
    const total = (((Number(m[1]) * 60 + Number(m[2]) + shift) % 1440) + 1440) % 1440;
    return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
  };
  return { opens: move(w.opens), closes: move(w.closes) };
}
