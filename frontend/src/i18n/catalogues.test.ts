import { describe, expect, it } from 'vitest';
import { en } from './en';
import { it as itCatalogue } from './it';

function leaves(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object') for (const [k, v] of leaves(value, path)) out.set(k, v);
    else out.set(path, String(value));
  }
  return out;
}

function variables(s: string): string {
  return [...s.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort().join(',');
}

describe('catalogues', () => {
  const english = leaves(en);
  const italian = leaves(itCatalogue);

  it('have the same keys in English and Italian', () => {
    expect([...italian.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('have no empty strings and the same interpolation variables', () => {
    const problems: string[] = [];
    for (const [key, value] of english) {
      if (!value.trim() || !(italian.get(key) ?? '').trim()) problems.push(`${key}: empty`);
      if (variables(italian.get(key) ?? '') !== variables(value)) problems.push(`${key}: variables differ`);
    }
    expect(problems).toEqual([]);
  });

  it('use the help page wording for the Italian field names', () => {
    expect(itCatalogue.fields.ALERT_CONTACTS.label).toBe('Contatti per gli avvisi');
    expect(itCatalogue.fields.TECHNICAL_EMERGENCY.label).toBe('Contatti tecnici di emergenza');
    expect(itCatalogue.fields.TECHNICAL_NON_EMERGENCY.label).toBe('Contatti tecnici non di emergenza');
    expect(itCatalogue.fields.OPERATIONAL_SUPPORT.label).toBe('Assistenza operativa');
    expect(itCatalogue.gate.contactSupport).toBe('Contatta l’assistenza');
  });
});
