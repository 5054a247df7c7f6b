import { Alert, Box } from '@mui/material';
import type { TFunction } from 'i18next';
import type { CombinedError } from 'urql';
import { errorCode, requestIdOf } from '../../lib/errors';

/**
 * What a failed sign-in says: rate limiting, an unreachable server and an internal error (with its
 * request id) in their own words; anything else as `wrong` (the server does not tell which of email and
 * password was wrong, and neither does the page).
 */
export function signInFailureText(t: TFunction, error: CombinedError, wrong: 'signIn.wrong' | 'accept.wrongPassword'): string {
  const code = errorCode(error);
  if (code === 'RATE_LIMITED') return t('errors.RATE_LIMITED');
  if (code === 'NETWORK') return t('errors.NETWORK');
  if (code === 'INTERNAL') return `${t('errors.INTERNAL')} ${t('errors.reference', { requestId: requestIdOf(error) ?? '—' })}`;
  return t(wrong);
}

/** Where a failed sign-in is said: announced at once, and empty while there is nothing to say. */
export function SignInFailure({ text }: { text: string }) {
  return (
    <Box role="alert" aria-live="assertive">
      {text && <Alert severity="error">{text}</Alert>}
    </Box>
  );
}
