import { describe, expect, it } from 'vitest';
import { rawTimeZones } from '@vvo/tzdb';
import { browserTimeZone, canonicalZone, filterZones, timeZoneIds, zoneOptions } from './time-zones';

describe('time zones', () => {
  it('are the canonical zones of @vvo/tzdb, as generated (npm run timezones when this fails)', () => {
    const expected = rawTimeZones.map((z) => z.name).concat('UTC').sort();
    expect([...timeZoneIds()].sort()).toEqual(expected);
    for (const legacy of ['Asia/Calcutta', 'Europe/Kiev', 'Asia/Saigon', 'America/Buenos_Aires']) {
      expect(timeZoneIds()).not.toContain(legacy);
    }
    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(canonicalZone('Europe/Kiev')).toBe('Europe/Kyiv');
  });

  it('are found by city, country in the user’s language, abbreviation and offset', () => {
    const en = zoneOptions('en', 'Europe/Rome');
    const italian = zoneOptions('it', 'Europe/Rome');
    const names = (query: string, options = en) => filterZones(options, query).map((o) => o.name);
    expect(names('Milan')).toContain('Europe/Rome');
    expect(names('Italy')).toContain('Europe/Rome');
    expect(names('Italia', italian)).toContain('Europe/Rome');
    expect(names('CET')).toContain('Europe/Rome');
    expect(names('Kolkata')).toEqual(['Asia/Kolkata']);
    expect(names('Calcutta')).toEqual(['Asia/Kolkata']);
    expect(names('kyiv')).toEqual(['Europe/Kyiv']);
    expect(names('são paulo')).toContain('America/Sao_Paulo');
    // The offset now: GMT+1 in winter, GMT+2 in summer for Rome.
    const romeOffset = en.find((o) => o.name === 'Europe/Rome')?.offset ?? '';
    expect(romeOffset).toMatch(/^GMT\+[12]$/);
    expect(names(romeOffset)).toContain('Europe/Rome');
    expect(names('GMT+5:30')).toContain('Asia/Kolkata');
    expect(names('nowhere at all')).toEqual([]);
  });

  it('put the user’s own zone first, each with its current offset', () => {
    const options = zoneOptions('en', 'Asia/Calcutta');
    expect(options[0]).toMatchObject({ name: 'Asia/Kolkata', offset: 'GMT+5:30' });
    expect(options.every((o) => o.offset.startsWith('GMT'))).toBe(true);
    expect(timeZoneIds()).toContain(browserTimeZone());
  });
});
