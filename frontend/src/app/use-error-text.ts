import { useTranslation } from 'react-i18next';

type MaybeError = { type?: string; message?: string } | undefined;

/**
 * Client-side messages and server problems with a known code (type "serverCode", see fieldProblemError)
 * are catalogue keys ("validation.emailInvalid", "serverErrors.PHONE_INVALID") and are translated here;
 * server messages with an unknown code (type "server") are shown as the server wrote them.
 */
export function useErrorText(): (error: MaybeError) => string | undefined {
  const { t } = useTranslation();
  return (error) => {
    if (!error?.message) return undefined;
    if (error.type === 'server') return error.message;
    return t(error.message as never) as string;
  };
}
