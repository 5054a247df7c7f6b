import { Alert, Box, Button, Divider, Typography } from '@mui/material';
import ArrowForwardIcon from '@mui/icons-material/ArrowForward';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import type { ContactField, DayOfWeek } from '../../gql/graphql';
import { formatDateTime, formatDays, formatLocalTime } from '../../lib/format';
import { hasCode } from '../../lib/errors';
import { ErrorAlert } from '../../components/error-alert';
import { CursorPages, moreCursor, useCursorPageQuery, type CursorPageProps } from '../../components/cursor-pages';
import { Loading } from '../../components/loading';
import { formatPhone } from '../../lib/phone';

export const ContactHistoryDocument = graphql(`
  query ContactHistory($accountId: ID!, $first: Int, $after: String) {
    account(id: $accountId) {
      id
      members {
        user {
          id
          email
          name
        }
      }
      history(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        edges {
          cursor
          node {
            id
            at
            kind
            field
            before
            after
            actor {
              id
              email
              name
            }
          }
        }
      }
    }
  }
`);

const PAGE = 20;

/** Who changed which field when, before → after; newest first, page by page. */
export function ChangeHistory({ accountId }: { accountId: string }) {
  return (
    <Box>
      <CursorPages>{(page) => <HistoryPage accountId={accountId} page={page} />}</CursorPages>
    </Box>
  );
}

function HistoryPage({ accountId, page }: { accountId: string; page: CursorPageProps }) {
  const { first } = page;
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const [{ data, fetching, error }] = useCursorPageQuery(ContactHistoryDocument, { accountId, first: PAGE }, page);
  if (fetching && !data) return <Loading minHeight={80} />;
  if (error && hasCode(error, 'CONTACT_INFO_REQUIRED')) {
    return <Alert severity="info">{t('history.locked')}</Alert>;
  }
  const history = data?.account?.history;
  const names = new Map((data?.account?.members ?? []).map((m) => [m.user.id, m.user.name ? `${m.user.name} <${m.user.email}>` : m.user.email]));
  if (!history) return <ErrorAlert error={error} />;
  const more = moreCursor(page, history.pageInfo);
  if (first && history.edges.length === 0) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
        {t('history.empty')}
      </Typography>
    );
  }
  return (
    <>
      {first && (
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
          {t('history.count', { count: history.totalCount })}
        </Typography>
      )}
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {history.edges.map(({ node }) => (
          <Box component="li" key={node.id}>
            <Divider component="div" />
            <Box sx={{ py: 1.5, display: 'grid', gap: 0.5 }}>
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                <time dateTime={node.at}>{formatDateTime(node.at, lang)}</time>
                {' · '}
                {node.actor ? node.actor.name || node.actor.email : t('history.system')}
              </Typography>
              <Typography variant="subtitle2" component="p">
                {node.field ? t(`fields.${node.field}.label`) : t('history.reviewConfirmed')}
              </Typography>
              {node.field && (
                <Box
                  sx={{
                    display: 'grid',
                    gap: 1,
                    alignItems: 'start',
                    gridTemplateColumns: { xs: '1fr', md: '1fr auto 1fr' },
                  }}
                >
                  <ValueBox label={t('history.before')} text={describeChange(node.field, node.before, t, lang, names)} />
                  <ArrowForwardIcon aria-hidden sx={{ color: 'text.secondary', mt: 1, display: { xs: 'none', md: 'block' } }} />
                  <ValueBox label={t('history.after')} text={describeChange(node.field, node.after, t, lang, names)} />
                </Box>
              )}
            </Box>
          </Box>
        ))}
      </Box>
      {more && (
        <Button sx={{ mt: 1 }} onClick={() => page.onMore(more)}>
          {t('history.more')}
        </Button>
      )}
    </>
  );
}

function ValueBox({ label, text }: { label: string; text: string }) {
  return (
    <Box sx={{ bgcolor: 'background.default', borderRadius: 1, px: 1.5, py: 1, minWidth: 0 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
        {label}
      </Typography>
      <Typography variant="body2" sx={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
        {text}
      </Typography>
    </Box>
  );
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The JSON of a history entry, read back as text. */
export function describeChange(
  field: ContactField,
  raw: string,
  t: TFunction,
  lang: string,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  let value: Json;
  try {
    value = JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
  const none = t('contactInfo.none');
  const person = (v: Json): string => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const name = typeof v.name === 'string' ? v.name : '';
      const email = typeof v.email === 'string' ? v.email : '';
      const phone = typeof v.phone === 'string' ? formatPhone(v.phone) : '';
      const text = [name, email ? `<${email}>` : '', phone].filter(Boolean).join(' ');
      if (text) return text;
      if (typeof v.id === 'string') return names.get(v.id) ?? v.id;
    }
    if (typeof v === 'string') return names.get(v) ?? v;
    return JSON.stringify(v);
  };
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return none;
  // A change of an address's reachability: {"email","reachability"} before and after.
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.reachability === 'string') {
    return `<${String(value.email ?? '')}> ${t(`reach.state.${value.reachability}`, { defaultValue: value.reachability })}`;
  }
  if (field === 'OPERATIONAL_SUPPORT' && typeof value === 'object' && !Array.isArray(value)) {
    if (value.alwaysOpen === true) return t('support.alwaysOpen');
    const windows = Array.isArray(value.windows) ? value.windows : [];
    return (
      windows
        .map((w) => {
          if (!w || typeof w !== 'object' || Array.isArray(w)) return JSON.stringify(w);
          const days = Array.isArray(w.days) ? (w.days.filter((d) => typeof d === 'string') as DayOfWeek[]) : [];
          return t('support.windowText', {
            days: formatDays(days, lang),
            opens: formatLocalTime(String(w.opens ?? ''), lang),
            closes: formatLocalTime(String(w.closes ?? ''), lang),
            timeZone: String(w.timeZone ?? ''),
          });
        })
        .join('\n') || none
    );
  }
  if (Array.isArray(value)) return value.map(person).join('\n');
  return person(value);
}
