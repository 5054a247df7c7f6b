import { Alert, AlertTitle } from '@mui/material';
import type { CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { errorCode, reasonKey, requestIdOf, retryAfterOf, serverMessage, showsServerText } from '../lib/errors';
import { formatWait } from '../lib/format';

type Props = { error: CombinedError | undefined; sx?: object; onClose?: () => void };

/** A translated explanation of a failed request, with its translated reason or the server's own words below. */
export function ErrorAlert({ error, sx, onClose }: Props) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const code = errorCode(error) ?? 'INTERNAL';
  // A refusal with a known reason is explained in the page's language; otherwise the server's words in
  // English, and in other languages only the title (the code's translated text): never English text.
  const reason = reasonKey(error);
  const detail = reason ? t(reason) : showsServerText(i18n.resolvedLanguage) ? serverMessage(error) : '';
  const requestId = requestIdOf(error);
  // A wait of more than a minute (a daily quota) is told as a duration, not "a moment".
  const retryAfter = retryAfterOf(error);
  const retryAt = retryAfter && retryAfter > 60 ? t('errors.retryIn', { when: formatWait(retryAfter, i18n.resolvedLanguage ?? 'en') }) : '';
  return (
    <Alert severity="error" sx={sx} onClose={onClose} role="alert">
      <AlertTitle>{t(`errors.${code}`)}</AlertTitle>
      {code !== 'INTERNAL' && code !== 'NETWORK' && detail}
      {retryAt && ` ${retryAt}`}
      {requestId && ` ${t('errors.reference', { requestId })}`}
    </Alert>
  );
}
