import { useEffect, useMemo, useState, type ComponentProps } from 'react';
import { Alert, Box } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { GraphiQL } from 'graphiql';
// Monaco's workers as same-origin module workers built by Vite: allowed by script-src 'self'.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { exampleTabs } from './explorer-examples';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

/** Request headers: the token when one was pasted; otherwise the session cookie (same origin) goes along. */
function authHeaders(token: string): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export default function GraphiQLExplorer({ accountId, token }: { accountId: string; token: string }) {
  const { t } = useTranslation();
  // The schema as loaded for one token ('' for the session), so a changed token shows nothing stale.
  const [loaded, setLoaded] = useState<{ token: string; schema: GraphQLSchema | null } | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    // With a token the cookie stays home, so the explorer runs exactly as the token would.
    fetch('/graphql/schema.graphqls', { headers: authHeaders(token), credentials: token ? 'omit' : 'same-origin', signal: abort.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        setLoaded({ token, schema: buildSchema(await res.text()) });
      })
      .catch(() => {
        if (!abort.signal.aborted) setLoaded({ token, schema: null });
      });
    return () => abort.abort();
  }, [token]);
  const current = loaded?.token === token ? loaded : null;
  const schema = current?.schema ?? null;
  const failed = current !== null && current.schema === null;

  const fetcher = useMemo<Fetcher>(
    () => async (params) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...authHeaders(token) },
        credentials: token ? 'omit' : 'same-origin',
        body: JSON.stringify(params),
      });
      return res.json();
    },
    [token],
  );
  const tabs = useMemo(() => exampleTabs(t, accountId), [t, accountId]);

  if (failed) return <Alert severity="error">{t('explorer.schemaFailed')}</Alert>;
  if (!schema) return null;
  return (
    <Box data-testid="graphiql" sx={{ height: { xs: 560, md: 'calc(100vh - 320px)' }, minHeight: 480, border: 1, borderColor: 'divider', borderRadius: 1, overflow: 'hidden' }}>
      <GraphiQL
        key={token ? 'token' : 'session'}
        fetcher={fetcher}
        schema={schema}
        defaultTabs={tabs}
        isHeadersEditorEnabled={false}
        shouldPersistHeaders={false}
        defaultEditorToolsVisibility="variables"
      />
    </Box>
  );
}
