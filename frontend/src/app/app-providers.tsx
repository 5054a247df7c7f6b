import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Provider as UrqlProvider, type Client } from 'urql';
import { CssBaseline, ThemeProvider } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { makeTheme } from '../lib/theme';
import { closeClient, makeClient } from '../lib/urql-client';
import { SessionContext } from '../lib/session-context';

type Props = { children: ReactNode; client?: Client };

export function AppProviders({ children, client: given }: Props) {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language ?? 'en';
  const theme = useMemo(() => makeTheme(language), [language]);
  const [client, setClient] = useState<Client>(() => given ?? makeClient());
  const session = useMemo(() => ({ resetClient: () => setClient(given ?? makeClient()) }), [given]);
  // A replaced client's websocket still speaks for the session it was opened with: close it.
  // (Its socket is opened again on demand, so StrictMode's extra cleanup does no harm.)
  useEffect(() => () => closeClient(client), [client]);

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <SessionContext.Provider value={session}>
        <UrqlProvider value={client}>{children}</UrqlProvider>
      </SessionContext.Provider>
    </ThemeProvider>
  );
}
