import { describe, expect, it } from 'vitest';
import { changeWhen, viewerHours } from './zone-times';

describe('times that say where', () => {
  const rome = [{ opens: '09:00', closes: '18:00', timeZone: 'Europe/Rome' }];
  it('says the zone of the change, the viewer’s time when it differs, and how far it is', () => {
    // Monday 2026-12-07 09:00 in Rome is 08:00 UTC and 13:30 in Kolkata.
    const now = new Date('2026-12-07T05:00:00Z');
    expect(changeWhen('2026-12-07T08:00:00Z', rome, 'Asia/Kolkata', 'en', now)).toEqual({
      there: 'Mon 9:00 AM',
      place: 'Rome',
      yours: '1:30 PM',
      relative: 'in 3 hours',
    });
    expect(changeWhen('2026-12-07T08:00:00Z', rome, 'Europe/Rome', 'it', now)).toEqual({
      there: 'lun 09:00',
      place: 'Rome',
      yours: '',
      relative: 'tra 3 ore',
    });
    // Midnight the same day for Los Angeles; another day for Honolulu, so the weekday is repeated.
    expect(changeWhen('2026-12-07T08:00:00Z', rome, 'America/Los_Angeles', 'en', now).yours).toBe('12:00 AM');
    expect(changeWhen('2026-12-07T08:00:00Z', rome, 'Pacific/Honolulu', 'en', now).yours).toBe('Sun 10:00 PM');
  });

  it('gives each window in the viewer’s time only when the zones differ now', () => {
    const winter = new Date('2026-12-07T12:00:00Z');
    expect(viewerHours(rome[0], 'Europe/Rome', winter)).toBeNull();
    expect(viewerHours(rome[0], 'Europe/London', winter)).toEqual({ opens: '08:00', closes: '17:00' });
    expect(viewerHours(rome[0], 'Asia/Kolkata', winter)).toEqual({ opens: '13:30', closes: '22:30' });
  });
});
