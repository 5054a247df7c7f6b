// Writes src/features/contact-info/timezones.json from @vvo/tzdb: the canonical IANA zones (one per
// zone, no legacy aliases), with country, main cities and abbreviations for the time-zone search.
// The file is committed: the app reads it (no package code at runtime), and the Go test in
// models/timezones_test.go checks that the server accepts every zone it lists.
// Run: npm run timezones (src/features/contact-info/timezones.test.ts fails when it is out of date).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawTimeZones } from '@vvo/tzdb';

export function zoneList() {
  const zones = rawTimeZones
    .map((z) => ({
      name: z.name,
      aliases: z.group.filter((g) => g !== z.name),
      countryCode: z.countryCode,
      countryName: z.countryName,
      cities: z.mainCities,
      abbreviations: [...new Set([z.abbreviation, z.dstAbbreviation].filter(Boolean))],
      alternativeName: z.alternativeName,
    }))
    .concat([{ name: 'UTC', aliases: ['Etc/UTC', 'Etc/GMT'], countryCode: '', countryName: '', cities: [], abbreviations: ['UTC', 'GMT'], alternativeName: 'Coordinated Universal Time' }]);
  zones.sort((a, b) => a.name.localeCompare(b.name));
  return zones;
}

export const TIMEZONES_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'features', 'contact-info', 'timezones.json');

export function render() {
  return `${JSON.stringify(zoneList(), null, 0).replace(/\},\{/g, '},\n{')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(TIMEZONES_FILE, render());
  console.log(`wrote ${zoneList().length} zones to ${TIMEZONES_FILE}`);
}
