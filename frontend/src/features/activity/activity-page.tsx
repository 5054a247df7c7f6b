import { Fragment, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Card,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useParams } from 'react-router';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import type { AuditAction, AuditEventsQuery } from '../../gql/graphql';
import { formatDateTime } from '../../lib/format';
import { useMe, useMembership } from '../../lib/me-context';
import { ErrorAlert } from '../../components/error-alert';
import { CursorPages, moreCursor, useCursorPageQuery, type CursorPageProps } from '../../components/cursor-pages';
import { Loading } from '../../components/loading';
import { PageHeader } from '../../components/page-header';

export const AuditEventsDocument = graphql(`
  query AuditEvents($accountId: ID!, $first: Int, $after: String) {
    account(id: $accountId) {
      id
      auditLog(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        edges {
          cursor
          node {
            id
            at
            action
            principal
            actor {
              id
              email
              name
            }
            ip
            userAgent
            target {
              kind
              id
              label
            }
            before
            after
          }
        }
      }
    }
  }
`);

type AuditEvent = NonNullable<AuditEventsQuery['account']>['auditLog']['edges'][number]['node'];

const PAGE = 50;

/** Configuration › Activity: the account's audit log (administrators and staff), newest first. */
export function ActivityPage() {
  const { t } = useTranslation();
  const { accountId = '' } = useParams();
  const me = useMe();
  const membership = useMembership(accountId);
  const allowed = me.staff || membership?.role === 'ADMINISTRATOR';

  const header = <PageHeader overline={t('nav.configuration')} title={t('activity.title')} description={t('activity.description')} />;
  if (!allowed) {
    return (
      <>
        {header}
        <Alert severity="info">{t('activity.adminsOnly')}</Alert>
      </>
    );
  }
  return (
    <>
      {header}
      <Card>
        <TableContainer>
          <Table size="small" aria-labelledby="activity-caption">
            <caption id="activity-caption" style={{ captionSide: 'top', textAlign: 'left' }}>
              {t('activity.caption')}
            </caption>
            <TableHead>
              <TableRow>
                <TableCell scope="col">{t('activity.columns.time')}</TableCell>
                <TableCell scope="col">{t('activity.columns.actor')}</TableCell>
                <TableCell scope="col">{t('activity.columns.action')}</TableCell>
                <TableCell scope="col">{t('activity.columns.target')}</TableCell>
                <TableCell scope="col">{t('activity.columns.ip')}</TableCell>
                <TableCell scope="col">{t('activity.columns.details')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              <CursorPages>{(page) => <EventsPage accountId={accountId} page={page} />}</CursorPages>
            </TableBody>
          </Table>
        </TableContainer>
      </Card>
    </>
  );
}

function FullRow({ children }: { children: ReactNode }) {
  return (
    <TableRow>
      <TableCell colSpan={6}>{children}</TableCell>
    </TableRow>
  );
}

function EventsPage({ accountId, page }: { accountId: string; page: CursorPageProps }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const [{ data, fetching, error }] = useCursorPageQuery(AuditEventsDocument, { accountId, first: PAGE }, page);
  if (fetching && !data) {
    return (
      <FullRow>
        <Loading minHeight={80} />
      </FullRow>
    );
  }
  const log = data?.account?.auditLog;
  if (!log) {
    return (
      <FullRow>
        <ErrorAlert error={error} />
      </FullRow>
    );
  }
  const more = moreCursor(page, log.pageInfo);
  return (
    <>
      {page.first && (
        <FullRow>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {log.edges.length === 0 ? t('activity.empty') : t('activity.count', { count: log.totalCount })}
          </Typography>
        </FullRow>
      )}
      {log.edges.map(({ node }) => (
        <TableRow key={node.id} hover>
          <TableCell sx={{ whiteSpace: 'nowrap' }}>
            <time dateTime={node.at}>{formatDateTime(node.at, lang)}</time>
          </TableCell>
          <TableCell sx={{ minWidth: 180, overflowWrap: 'anywhere' }}>
            <Typography variant="body2">{node.actor ? node.actor.name || node.actor.email : t(`activity.noActor.${node.principal}`)}</Typography>
            {node.actor && (
              <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
                {node.actor.name ? `${node.actor.email} · ` : ''}
                {t(`activity.principal.${node.principal}`)}
              </Typography>
            )}
          </TableCell>
          <TableCell>
            <Typography variant="body2" sx={{ fontWeight: 500, color: warning(node.action) ? 'error.main' : undefined }}>
              {t(`activity.actions.${node.action}`)}
            </Typography>
          </TableCell>
          <TableCell sx={{ minWidth: 160, overflowWrap: 'anywhere' }}>
            {node.target && (
              <>
                <Typography variant="body2">{node.target.label}</Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
                  {t(`activity.targets.${node.target.kind}`)}
                </Typography>
              </>
            )}
          </TableCell>
          <TableCell sx={{ fontFamily: 'monospace', fontSize: 13, whiteSpace: 'nowrap' }}>{node.ip ?? '—'}</TableCell>
          <TableCell sx={{ minWidth: 200 }}>
            <Details event={node} />
          </TableCell>
        </TableRow>
      ))}
      {more && (
        <FullRow>
          <Button onClick={() => page.onMore(more)}>{t('activity.more')}</Button>
        </FullRow>
      )}
    </>
  );
}

/** Failed sign-ins stand out: they are what an administrator looks for first. */
function warning(action: AuditAction): boolean {
  return action === 'SIGN_IN_FAILED';
}

/** A role or a token's access, as stored in before/after, in the user's language. */
function stateText(value: string, t: TFunction): string {
  switch (value) {
    case 'READ_ONLY':
    case 'EDITOR':
    case 'ADMINISTRATOR':
      return t(`roles.${value}`);
    case 'READ_WRITE':
      return t('activity.readWrite');
    case 'ENABLED':
      return t('activity.enabled');
    case 'DISABLED':
      return t('activity.disabled');
    default:
      return value;
  }
}

function Details({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const { action, before, after, userAgent } = event;
  let change: string | null = null;
  if (action === 'SESSIONS_ENDED') {
    change = t('activity.sessions', { count: Number(after ?? 0) });
  } else if (action === 'WEBHOOK_SECRET_ROTATED') {
    change = t('activity.overlapHours', { count: Number(after ?? 0) });
  } else if (before && after) {
    change = t('activity.change', { before: stateText(before, t), after: stateText(after, t) });
  } else if (after) {
    change = stateText(after, t);
  } else if (before) {
    change = t('activity.was', { value: stateText(before, t) });
  }
  return (
    <Fragment>
      {change && (
        <Typography variant="body2" sx={{ overflowWrap: 'anywhere', maxWidth: 420 }}>
          {change}
        </Typography>
      )}
      {userAgent && (
        <Typography
          variant="caption"
          title={userAgent}
          sx={{ color: 'text.secondary', display: 'block', overflowWrap: 'anywhere', maxWidth: 320 }}
        >
          {t('activity.userAgent', { userAgent: userAgent.length > 90 ? `${userAgent.slice(0, 90)}…` : userAgent })}
        </Typography>
      )}
    </Fragment>
  );
}
