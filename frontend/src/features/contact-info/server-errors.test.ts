import { describe, expect, it } from 'vitest';
import { toFormPath } from './server-errors';

describe('toFormPath', () => {
  it('maps list entries and their parts', () => {
    expect(toFormPath('technicalEmergency[1].email')).toBe('technicalEmergency.1.email');
    expect(toFormPath('input.operationalForGoogle[0].phone')).toBe('operationalForGoogle.0.phone');
    expect(toFormPath('merchantIssues[2].name')).toBe('merchantIssues.2.name');
  });

  it('accounts for blank rows that were not sent', () => {
    // The form had rows 0, 1 (blank) and 2; the server saw rows 0 and 1.
    expect(toFormPath('technicalEmergency[1].email', { technicalEmergency: [0, 2] })).toBe('technicalEmergency.2.email');
  });

  it('maps whole-list problems onto the list', () => {
    expect(toFormPath('technicalNonEmergency')).toBe('technicalNonEmergency.root');
    expect(toFormPath('technicalNonEmergency[3]')).toBe('technicalNonEmergency.3.email');
  });

  it('maps the single contact, support hours and alert contacts', () => {
    expect(toFormPath('operationalForUsers.email')).toBe('operationalForUsers.email');
    expect(toFormPath('operationalForUsers')).toBe('operationalForUsers.email');
    expect(toFormPath('operationalSupport.windows[0].timeZone')).toBe('operationalSupport.windows.0.timeZone');
    expect(toFormPath('operationalSupport.windows[1].closes')).toBe('operationalSupport.windows.1.closes');
    expect(toFormPath('operationalSupport.alwaysOpen')).toBe('operationalSupport.mode');
    expect(toFormPath('alertContactUserIds[0]')).toBe('alertContactUserIds');
  });

  it('returns null for paths the form does not have', () => {
    expect(toFormPath('expectedVersion')).toBeNull();
    expect(toFormPath('')).toBeNull();
  });
});
