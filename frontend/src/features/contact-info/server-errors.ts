import { LIST_FIELDS, type IndexMaps, type ListField } from './form-model';

const CONTACT_PARTS = new Set(['name', 'email', 'phone']);
const WINDOW_PARTS = new Set(['days', 'opens', 'closes', 'timeZone']);

/**
 * Maps a server VALIDATION_FAILED path ("technicalEmergency[1].email") onto the
 * form input that shows it ("technicalEmergency.3.email" when blank rows 1 and 2 were not sent).
 * Returns null for paths the form has no input for.
 */
export function toFormPath(serverField: string, indexMaps: IndexMaps = {}): string | null {
  const parts = serverField
    .replace(/^input\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  const [head, second, third] = parts;
  if (!head) return null;

  if ((LIST_FIELDS as readonly string[]).includes(head)) {
    const field = head as ListField;
    if (second === undefined || !/^\d+$/.test(second)) return `${field}.root`;
    const sent = Number(second);
    const index = indexMaps[field]?.[sent] ?? sent;
    const part = third && CONTACT_PARTS.has(third) ? third : 'email';
    return `${field}.${index}.${part}`;
  }
  if (head === 'operationalForUsers') {
    return `operationalForUsers.${second && CONTACT_PARTS.has(second) ? second : 'email'}`;
  }
  if (head === 'operationalSupport') {
    if (second === 'windows' && third !== undefined && /^\d+$/.test(third)) {
      const part = parts[3];
      return `operationalSupport.windows.${third}.${part && WINDOW_PARTS.has(part) ? part : 'days'}`;
    }
    return 'operationalSupport.mode';
  }
  if (head === 'alertContactUserIds' || head === 'alertContacts') return 'alertContactUserIds';
  return null;
}
