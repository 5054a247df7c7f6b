import type { TFunction } from 'i18next';
import { formatDays, formatLocalTime } from '../../lib/format';
import { isBlank, type ContactFormValues, type ContactValue } from './form-model';
import type { MemberOption } from './alert-contacts-field';

const contactText = (c: ContactValue) =>
  [c.name.trim(), c.email.trim() ? `<${c.email.trim()}>` : '', c.phone.trim()].filter(Boolean).join(' ');

/** A one-line, human reading of one form field's value (for the conflict dialog). */
export function describeValue(
  key: keyof ContactFormValues,
  values: ContactFormValues,
  members: MemberOption[],
  t: TFunction,
  language: string,
): string {
  const none = t('contactInfo.none');
  switch (key) {
    case 'alertContactUserIds': {
      const names = values.alertContactUserIds.map((id) => {
        const m = members.find((x) => x.id === id);
        return m ? (m.name ? `${m.name} <${m.email}>` : m.email) : id;
      });
      return names.join('; ') || none;
    }
    case 'operationalForUsers':
      return isBlank(values.operationalForUsers) ? none : contactText(values.operationalForUsers);
    case 'operationalSupport': {
      const s = values.operationalSupport;
      if (s.mode === 'unset') return none;
      if (s.mode === 'alwaysOpen') return t('support.alwaysOpen');
      return (
        s.windows
          .map((w) =>
            t('support.windowText', {
              days: formatDays(w.days, language),
              opens: formatLocalTime(w.opens, language),
              closes: formatLocalTime(w.closes, language),
              timeZone: w.timeZone,
            }),
          )
          .join('; ') || none
      );
    }
    default:
      return (
        values[key]
          .filter((c) => !isBlank(c))
          .map(contactText)
          .join('; ') || none
      );
  }
}
