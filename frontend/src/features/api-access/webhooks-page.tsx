import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  InputAdornment,
  IconButton,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useParams } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { hasCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useMembership } from '../../lib/me-context';
import { AppDialog } from '../../components/app-dialog';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorAlert } from '../../components/error-alert';
import { ErrorPage } from '../../components/error-page';
import { PageSkeleton } from '../../components/loading';
import { PageHeader } from '../../components/page-header';
import { ApiAccessTabs } from './api-access-tabs';

/** The events an endpoint may receive (the server refuses any other name). */
export const WEBHOOK_EVENTS = [
  { name: 'contact_info.updated', label: 'webhooks.event.contact_info_updated' },
  { name: 'access_gate.changed', label: 'webhooks.event.access_gate_changed' },
  { name: 'contact.reachability_changed', label: 'webhooks.event.contact_reachability_changed' },
  { name: 'contact_info.review_due', label: 'webhooks.event.contact_info_review_due' },
  { name: 'member.removed', label: 'webhooks.event.member_removed' },
] as const;

const WebhookEndpointsDocument = graphql(`
  query WebhookEndpoints($accountId: ID!) {
    account(id: $accountId) {
      id
      webhookEndpoints {
        id
        url
        description
        events
        enabled
        disabledReason
        consecutiveFailures
        previousSecretExpiresAt
        deliveries(first: 10) {
          totalCount
          edges {
            node {
              id
              event
              status
              attempts
              responseCode
              latencyMs
              lastError
              lastErrorCode
              createdAt
              lastAttemptAt
            }
          }
        }
      }
    }
  }
`);

const CreateWebhookEndpointDocument = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint {
        id
      }
    }
  }
`);

const UpdateWebhookEndpointDocument = graphql(`
  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) {
      id
      enabled
    }
  }
`);

const DeleteWebhookEndpointDocument = graphql(`
  mutation DeleteWebhookEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id)
  }
`);

const RotateWebhookSecretDocument = graphql(`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id, overlapHours: 24) {
      secret
      endpoint {
        id
        previousSecretExpiresAt
      }
    }
  }
`);

const SendTestWebhookEventDocument = graphql(`
  mutation SendTestWebhookEvent($endpointId: ID!) {
    sendTestWebhookEvent(endpointId: $endpointId) {
      id
      status
    }
  }
`);

const ERROR_KEYS = {
  TIMEOUT: 'webhooks.error.TIMEOUT',
  REDIRECT: 'webhooks.error.REDIRECT',
  HTTP_STATUS: 'webhooks.error.HTTP_STATUS',
  BODY_TOO_LARGE: 'webhooks.error.BODY_TOO_LARGE',
  PRIVATE_ADDRESS: 'webhooks.error.PRIVATE_ADDRESS',
  TLS: 'webhooks.error.TLS',
  DNS: 'webhooks.error.DNS',
  CONNECT: 'webhooks.error.CONNECT',
  OTHER: 'webhooks.error.OTHER',
} as const;

type EndpointForm = { url: string; description: string; events: string[]; enabled: boolean };

/** URL, description and events, for registering and editing an endpoint. */
function EndpointFields({ value, onChange, showEnabled }: { value: EndpointForm; onChange: (v: EndpointForm) => void; showEnabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <TextField
        label={t('webhooks.url')}
        required
        value={value.url}
        onChange={(e) => onChange({ ...value, url: e.target.value })}
        helperText={t('webhooks.urlHint')}
        type="url"
      />
      <TextField
        label={t('webhooks.descriptionField')}
        value={value.description}
        onChange={(e) => onChange({ ...value, description: e.target.value })}
      />
      <FormControl component="fieldset">
        <FormLabel component="legend">{t('webhooks.events')}</FormLabel>
        <FormGroup>
          {WEBHOOK_EVENTS.map(({ name: ev, label }) => (
            <FormControlLabel
              key={ev}
              control={
                <Checkbox
                  checked={value.events.includes(ev)}
                  onChange={(e) =>
                    onChange({ ...value, events: e.target.checked ? [...value.events, ev] : value.events.filter((x) => x !== ev) })
                  }
                />
              }
              label={
                <span>
                  <code>{ev}</code> — {t(label)}
                </span>
              }
            />
          ))}
        </FormGroup>
        <FormHelperText>{t('webhooks.eventsHint')}</FormHelperText>
      </FormControl>
      {showEnabled && (
        <FormControlLabel
          control={<Switch checked={value.enabled} onChange={(e) => onChange({ ...value, enabled: e.target.checked })} />}
          label={t('webhooks.enabled')}
        />
      )}
    </Box>
  );
}

/** A secret shown this once, with a copy button. */
function SecretDialog({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <AppDialog
      open={secret !== null}
      title={t('webhooks.secretTitle')}
      onClose={() => {
        setCopied(false);
        onClose();
      }}
      actions={
        <Button variant="contained" onClick={onClose}>
          {t('apiAccess.secretDone')}
        </Button>
      }
    >
      <Alert severity="warning" sx={{ mb: 2 }}>
        {t('webhooks.secretOnce')}
      </Alert>
      <TextField
        value={secret ?? ''}
        label={t('webhooks.secret')}
        fullWidth
        slotProps={{
          htmlInput: { readOnly: true, style: { fontFamily: 'monospace' } },
          input: {
            endAdornment: (
              <InputAdornment position="end">
                <Tooltip title={copied ? t('apiAccess.copied') : t('apiAccess.copy')}>
                  <IconButton
                    aria-label={t('apiAccess.copy')}
                    edge="end"
                    onClick={() => {
                      if (secret) void navigator.clipboard?.writeText(secret).then(() => setCopied(true));
                    }}
                  >
                    <ContentCopyIcon />
                  </IconButton>
                </Tooltip>
              </InputAdornment>
            ),
          },
        }}
      />
      <Box role="status" aria-live="polite" sx={{ mt: 1, minHeight: 20 }}>
        {copied && (
          <Typography variant="body2" sx={{ color: 'success.main' }}>
            {t('apiAccess.copied')}
          </Typography>
        )}
      </Box>
      <Typography variant="body2" sx={{ color: 'text.secondary', mt: 1 }}>
        {t('webhooks.verifyHint')}
      </Typography>
    </AppDialog>
  );
}

const empty: EndpointForm = { url: '', description: '', events: ['contact_info.updated', 'access_gate.changed'], enabled: true };

/** Integration › API access › Webhooks (ADMINISTRATOR): endpoints, their secrets and delivery logs. */
export function WebhooksPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const { accountId = '' } = useParams();
  const membership = useMembership(accountId);
  const isAdmin = membership?.role === 'ADMINISTRATOR';
  const [{ data, fetching, error }, refetch] = useQuery({ query: WebhookEndpointsDocument, variables: { accountId }, pause: !isAdmin });
  const [{ fetching: creating }, create] = useMutation(CreateWebhookEndpointDocument);
  const [{ fetching: updating }, update] = useMutation(UpdateWebhookEndpointDocument);
  const [{ fetching: deleting }, remove] = useMutation(DeleteWebhookEndpointDocument);
  const [{ fetching: rotating }, rotate] = useMutation(RotateWebhookSecretDocument);
  const [, sendTest] = useMutation(SendTestWebhookEventDocument);
  const [form, setForm] = useState<EndpointForm>(empty);
  const [secret, setSecret] = useState<string | null>(null);
  const [failure, setFailure] = useState<CombinedError>();
  const [editing, setEditing] = useState<{ id: string; form: EndpointForm } | null>(null);
  const [editFailure, setEditFailure] = useState<CombinedError>();
  const [confirm, setConfirm] = useState<{ kind: 'delete' | 'rotate'; id: string; url: string } | null>(null);
  const [notice, setNotice] = useState('');
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const header = (
    <>
      <PageHeader overline={t('nav.integration')} title={t('apiAccess.title')} description={t('webhooks.description')} />
      <ApiAccessTabs />
    </>
  );
  if (!isAdmin) {
    return (
      <>
        {header}
        <Alert severity="info">{t('webhooks.adminsOnly')}</Alert>
      </>
    );
  }
  if (fetching && !data) return <PageSkeleton />;
  if (error && hasCode(error, 'CONTACT_INFO_REQUIRED')) {
    return (
      <>
        {header}
        <Alert severity="warning">{t('webhooks.locked')}</Alert>
      </>
    );
  }
  const endpoints = data?.account?.webhookEndpoints;
  if (!endpoints) return <ErrorPage error={error} onRetry={reload} />;

  const onCreate = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    const r = await create({ input: { accountId, url: form.url, events: form.events, description: form.description } });
    if (r.error || !r.data) {
      setFailure(r.error);
      return;
    }
    setSecret(r.data.createWebhookEndpoint.secret);
    setForm(empty);
    reload();
  };

  return (
    <>
      {header}
      <Card sx={{ mb: 3 }}>
        <CardContent sx={{ p: { xs: 2, sm: 3 } }}>
          <Typography variant="h2" component="h2" sx={{ mb: 2 }}>
            {t('webhooks.createTitle')}
          </Typography>
          <Box component="form" noValidate onSubmit={(e) => void onCreate(e)} sx={{ display: 'grid', gap: 2 }}>
            <EndpointFields value={form} onChange={setForm} />
            <Box>
              <Button type="submit" variant="contained" startIcon={<AddIcon />} disabled={creating}>
                {t('webhooks.create')}
              </Button>
            </Box>
          </Box>
          {failure && <ErrorAlert error={failure} sx={{ mt: 2 }} />}
        </CardContent>
      </Card>

      <Box role="status" aria-live="polite" sx={{ mb: notice ? 2 : 0 }}>
        {notice && <Alert severity="success">{notice}</Alert>}
      </Box>

      <Typography variant="h2" component="h2" sx={{ mb: 1 }}>
        {t('webhooks.listTitle', { count: endpoints.length })}
      </Typography>
      {endpoints.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
          {t('webhooks.empty')}
        </Typography>
      )}
      {endpoints.map((ep) => (
        <Card key={ep.id} sx={{ mb: 2 }} component="section" aria-label={ep.url}>
          <CardContent sx={{ p: { xs: 2, sm: 3 } }}>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
              <Typography variant="body1" component="h3" sx={{ fontWeight: 500, wordBreak: 'break-all', flex: 1, minWidth: 200 }}>
                {ep.url}
              </Typography>
              <Chip
                size="small"
                color={ep.enabled ? 'success' : 'warning'}
                label={ep.enabled ? t('webhooks.statusEnabled') : t('webhooks.statusDisabled')}
              />
            </Box>
            {ep.description && (
              <Typography variant="body2" sx={{ mb: 1 }}>
                {ep.description}
              </Typography>
            )}
            <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', mb: 1 }}>
              {ep.events.map((ev) => (
                <Chip key={ev} size="small" variant="outlined" label={ev} />
              ))}
            </Box>
            {!ep.enabled && ep.disabledReason && (
              <Alert severity="warning" sx={{ mb: 1 }}>
                {t('webhooks.disabledBecause', { count: ep.consecutiveFailures })}
              </Alert>
            )}
            {ep.previousSecretExpiresAt && (
              <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
                {t('webhooks.overlap', { when: formatDateTime(ep.previousSecretExpiresAt, lang) })}
              </Typography>
            )}
            <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mb: 2 }}>
              <Button
                variant="outlined"
                size="small"
                onClick={() =>
                  void sendTest({ endpointId: ep.id }).then((r) => {
                    setFailure(r.error);
                    if (!r.error) setNotice(t('webhooks.testSent'));
                    reload();
                  })
                }
              >
                {t('webhooks.sendTest')}
              </Button>
              <Button
                variant="outlined"
                size="small"
                onClick={() => {
                  setEditFailure(undefined);
                  setEditing({ id: ep.id, form: { url: ep.url, description: ep.description, events: [...ep.events], enabled: ep.enabled } });
                }}
              >
                {t('webhooks.edit')}
              </Button>
              <Button variant="outlined" size="small" onClick={() => setConfirm({ kind: 'rotate', id: ep.id, url: ep.url })}>
                {t('webhooks.rotate')}
              </Button>
              <Button variant="outlined" size="small" color="error" onClick={() => setConfirm({ kind: 'delete', id: ep.id, url: ep.url })}>
                {t('webhooks.delete')}
              </Button>
            </Box>
            <Typography variant="subtitle2" component="h4" sx={{ mb: 0.5 }}>
              {t('webhooks.log', { count: ep.deliveries.totalCount })}
            </Typography>
            {ep.deliveries.edges.length === 0 ? (
              <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
                {t('webhooks.noDeliveries')}
              </Typography>
            ) : (
              <TableContainer>
                <Table size="small" aria-label={t('webhooks.logOf', { url: ep.url })}>
                  <TableHead>
                    <TableRow>
                      <TableCell>{t('webhooks.colTime')}</TableCell>
                      <TableCell>{t('webhooks.colEvent')}</TableCell>
                      <TableCell>{t('webhooks.colStatus')}</TableCell>
                      <TableCell align="right">{t('webhooks.colAttempts')}</TableCell>
                      <TableCell align="right">{t('webhooks.colResponse')}</TableCell>
                      <TableCell align="right">{t('webhooks.colLatency')}</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {ep.deliveries.edges.map(({ node: d }) => (
                      <TableRow key={d.id}>
                        <TableCell>{formatDateTime(d.lastAttemptAt ?? d.createdAt, lang)}</TableCell>
                        <TableCell>
                          <code>{d.event}</code>
                        </TableCell>
                        <TableCell>
                          {t(`webhooks.status.${d.status}`)}
                          {d.lastErrorCode && d.status !== 'SUCCEEDED' && (
                            <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                              {d.lastErrorCode && d.lastErrorCode in ERROR_KEYS
                                ? t(ERROR_KEYS[d.lastErrorCode as keyof typeof ERROR_KEYS], { code: d.responseCode ?? '' })
                                : t('webhooks.error.OTHER')}
                            </Typography>
                          )}
                        </TableCell>
                        <TableCell align="right">{d.attempts}</TableCell>
                        <TableCell align="right">{d.responseCode ?? '—'}</TableCell>
                        <TableCell align="right">{d.latencyMs == null ? '—' : `${d.latencyMs} ms`}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </TableContainer>
            )}
          </CardContent>
        </Card>
      ))}

      <SecretDialog secret={secret} onClose={() => setSecret(null)} />

      <AppDialog
        open={editing !== null}
        title={t('webhooks.editTitle')}
        onClose={() => setEditing(null)}
        actions={
          <>
            <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            <Button
              variant="contained"
              disabled={updating}
              onClick={() => {
                if (!editing) return;
                const f = editing.form;
                void update({ input: { id: editing.id, url: f.url, description: f.description, events: f.events, enabled: f.enabled } }).then((r) => {
                  if (r.error) {
                    setEditFailure(r.error);
                    return;
                  }
                  setEditing(null);
                  reload();
                });
              }}
            >
              {t('webhooks.save')}
            </Button>
          </>
        }
      >
        {editing && <EndpointFields value={editing.form} onChange={(next) => setEditing({ ...editing, form: next })} showEnabled />}
        {editFailure && <ErrorAlert error={editFailure} sx={{ mt: 2 }} />}
      </AppDialog>

      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.kind === 'rotate' ? t('webhooks.rotateTitle') : t('webhooks.deleteTitle')}
        message={confirm?.kind === 'rotate' ? t('webhooks.rotateConfirm') : t('webhooks.deleteConfirm', { url: confirm?.url ?? '' })}
        confirmLabel={confirm?.kind === 'rotate' ? t('webhooks.rotate') : t('webhooks.delete')}
        destructive={confirm?.kind === 'delete'}
        busy={deleting || rotating}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (!confirm) return;
          if (confirm.kind === 'delete') {
            void remove({ id: confirm.id }).then((r) => {
              setFailure(r.error);
              setConfirm(null);
              reload();
            });
            return;
          }
          void rotate({ id: confirm.id }).then((r) => {
            setFailure(r.error);
            setConfirm(null);
            if (r.data) setSecret(r.data.rotateWebhookSecret.secret);
            reload();
          });
        }}
      />
    </>
  );
}
