import { useTranslation } from 'react-i18next';
import { showsServerText } from './errors';
import { countryName } from './phone';

export type MaybeError = { type?: string; message?: string } | undefined;

/**
 * Client-side messages and server problems with a known code (type "serverCode", see fieldProblemError)
 * are catalogue keys ("validation.emailInvalid", "serverErrors.PHONE_INVALID") and are translated here;
 * server messages with an unknown code (type "server") are shown as the server wrote them in English,
 * and as the generic "value not accepted" text in any other language (the server writes English only).
 */
export function useErrorText(): (error: MaybeError) => string | undefined {
  const { t, i18n } = useTranslation();
  return (error) => {
    if (!error?.message) return undefined;
    if (error.type === 'server') return showsServerText(i18n.resolvedLanguage) ? error.message : t('serverErrors.INVALID');
    // "phone.tooShort|{"number":"+39 123","country":"IT"}": a key with values (see phoneErrorMessage).
    const bar = error.message.indexOf('|');
    if (bar > 0) {
      const values = JSON.parse(error.message.slice(bar + 1)) as { number?: string; country?: string };
      const language = i18n.resolvedLanguage ?? 'en';
      return t(error.message.slice(0, bar) as never, { number: values.number ?? '', country: countryName(values.country, language) }) as string;
    }
    return t(error.message as never) as string;
  };
}
