import { useState } from 'react';
import {
  Alert,
  Avatar,
  Box,
  Chip,
  Divider,
  IconButton,
  Link,
  MenuItem,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import PersonRemoveIcon from '@mui/icons-material/PersonRemoveOutlined';
import CancelScheduleSendIcon from '@mui/icons-material/CancelScheduleSend';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import type { Role } from '../../gql/graphql';
import { useMe } from '../../lib/me-context';
import { formatDate, initials } from '../../lib/format';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorAlert } from '../../components/error-alert';
import { PageSkeleton } from '../../components/loading';
import { InviteForm, ROLES } from './invite-form';

export const UsersPanelDocument = graphql(`
  query UsersPanel($accountId: ID!) {
    account(id: $accountId) {
      id
      name
      members {
        role
        createdAt
        user {
          id
          email
          name
        }
      }
      invitations {
        id
        email
        role
        expiresAt
        createdAt
      }
      contactInfo {
        alertContacts {
          id
        }
      }
    }
  }
`);

const UpdateMemberRoleDocument = graphql(`
  mutation UpdateMemberRole($accountId: ID!, $userId: ID!, $role: Role!) {
    updateMemberRole(accountId: $accountId, userId: $userId, role: $role) {
      role
      user {
        id
      }
    }
  }
`);

const RemoveMemberDocument = graphql(`
  mutation RemoveMember($accountId: ID!, $userId: ID!) {
    removeMember(accountId: $accountId, userId: $userId)
  }
`);

const RevokeInvitationDocument = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id)
  }
`);

type Props = { accountId: string; compact?: boolean };

type ReasonKey = 'OWN_ROLE' | 'LAST_ADMINISTRATOR' | 'ONLY_ALERT_CONTACT';

type Pending = { kind: 'remove'; userId: string; label: string } | { kind: 'revoke'; id: string; label: string };

/** Members with their roles, pending invitations, and (for administrators) invite, role change and removal. */
export function UsersPanel({ accountId, compact = false }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const me = useMe();
  const myRole = me.memberships.find((m) => m.account.id === accountId)?.role;
  const isAdmin = myRole === 'ADMINISTRATOR';
  const canInvite = isAdmin || me.staff;
  const [{ data, fetching, error }, refetch] = useQuery({ query: UsersPanelDocument, variables: { accountId } });
  const [, updateRole] = useMutation(UpdateMemberRoleDocument);
  const [{ fetching: removing }, removeMember] = useMutation(RemoveMemberDocument);
  const [{ fetching: revoking }, revokeInvitation] = useMutation(RevokeInvitationDocument);
  const [failure, setFailure] = useState<CombinedError>();
  const [notice, setNotice] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);

  const refresh = () => refetch({ requestPolicy: 'network-only' });

  if (fetching && !data) return <PageSkeleton />;
  const account = data?.account;
  if (!account) return <ErrorAlert error={error} />;
  const administrators = account.members.filter((m) => m.role === 'ADMINISTRATOR');
  const alertContactIds = account.contactInfo.alertContacts.map((u) => u.id);
  // The server's guards, known before asking: the reasons are the ones the server would give.
  const roleGuard = (userId: string, role: Role): ReasonKey | undefined => {
    if (userId === me.user.id) return 'OWN_ROLE';
    if (role === 'ADMINISTRATOR' && administrators.length === 1) return 'LAST_ADMINISTRATOR';
    return undefined;
  };
  const removeGuard = (userId: string, role: Role): ReasonKey | undefined => {
    if (role === 'ADMINISTRATOR' && administrators.length === 1) return 'LAST_ADMINISTRATOR';
    if (alertContactIds.length === 1 && alertContactIds[0] === userId) return 'ONLY_ALERT_CONTACT';
    return undefined;
  };

  const changeRole = async (userId: string, role: Role, label: string) => {
    setFailure(undefined);
    setNotice('');
    const result = await updateRole({ accountId, userId, role });
    if (result.error) setFailure(result.error);
    else setNotice(t('users.roleChanged', { who: label, role: t(`roles.${role}`) }));
    refresh();
  };

  const confirm = async () => {
    if (!pending) return;
    setFailure(undefined);
    setNotice('');
    const result =
      pending.kind === 'remove'
        ? await removeMember({ accountId, userId: pending.userId })
        : await revokeInvitation({ id: pending.id });
    if (result.error) setFailure(result.error);
    else setNotice(t(pending.kind === 'remove' ? 'users.removed' : 'users.revoked', { who: pending.label }));
    setPending(null);
    refresh();
  };

  return (
    <Box sx={{ display: 'grid', gap: compact ? 2 : 3 }}>
      {canInvite ? (
        <Box>
          <Typography variant="h3" component="h3" sx={{ mb: 1.5 }}>
            {t('users.inviteTitle')}
          </Typography>
          <InviteForm
            accountId={accountId}
            onInvited={(email) => {
              setFailure(undefined);
              setNotice(t('users.invited', { email }));
              refresh();
            }}
          />
        </Box>
      ) : (
        <Alert severity="info">
          {t('users.onlyAdmins')}{' '}
          {administrators.map((a, i) => (
            <span key={a.user.id}>
              {i > 0 && ', '}
              <Link href={`mailto:${a.user.email}`}>{a.user.name || a.user.email}</Link>
            </span>
          ))}
        </Alert>
      )}

      <Box role="status" aria-live="polite">
        {notice && (
          <Alert severity="success" onClose={() => setNotice('')}>
            {notice}
          </Alert>
        )}
      </Box>
      {failure && <ErrorAlert error={failure} onClose={() => setFailure(undefined)} />}

      <Box>
        <Typography variant="h3" component="h3" sx={{ mb: 1 }}>
          {t('users.members', { count: account.members.length })}
        </Typography>
        <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }} aria-label={t('users.membersList')}>
          {account.members.map((m, index) => {
            const self = m.user.id === me.user.id;
            const label = m.user.name || m.user.email;
            const roleBlocked = isAdmin ? roleGuard(m.user.id, m.role) : undefined;
            const removeBlocked = isAdmin && !self ? removeGuard(m.user.id, m.role) : undefined;
            const guards = [...new Set([roleBlocked, removeBlocked].filter((g): g is ReasonKey => Boolean(g)))];
            const guardId = `member-guard-${m.user.id}`;
            return (
              <Box component="li" key={m.user.id}>
                {index > 0 && <Divider component="div" />}
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, py: 1.25, flexWrap: { xs: 'wrap', sm: 'nowrap' } }}>
                  <Avatar sx={{ bgcolor: 'primary.light', color: 'primary.dark', width: 36, height: 36, fontSize: 14 }} aria-hidden>
                    {initials(m.user.name, m.user.email)}
                  </Avatar>
                  <Box sx={{ flex: 1, minWidth: 0 }}>
                    <Typography variant="body2" component="div" sx={{ fontWeight: 500 }} noWrap>
                      {m.user.name || m.user.email}
                      {self && <Chip size="small" label={t('users.you')} sx={{ ml: 1, height: 20 }} />}
                    </Typography>
                    <Typography variant="body2" sx={{ color: 'text.secondary' }} noWrap>
                      {m.user.email}
                    </Typography>
                  </Box>
                  {isAdmin ? (
                    <TextField
                      select
                      value={m.role}
                      disabled={Boolean(roleBlocked)}
                      onChange={(e) => void changeRole(m.user.id, e.target.value as Role, label)}
                      slotProps={{
                        htmlInput: { 'aria-label': t('users.roleOf', { who: label }) },
                        select: { SelectDisplayProps: { 'aria-describedby': roleBlocked ? guardId : undefined } },
                      }}
                      sx={{ width: 180, flexShrink: 0 }}
                    >
                      {ROLES.map((role) => (
                        <MenuItem key={role} value={role}>
                          {t(`roles.${role}`)}
                        </MenuItem>
                      ))}
                    </TextField>
                  ) : (
                    <Chip
                      label={t(`roles.${m.role}`)}
                      variant="outlined"
                      color={m.role === 'ADMINISTRATOR' ? 'primary' : 'default'}
                      sx={{ flexShrink: 0 }}
                    />
                  )}
                  {isAdmin && self && <Box sx={{ width: 40, flexShrink: 0, display: { xs: 'none', sm: 'block' } }} />}
                  {isAdmin && !self && (
                    // A disabled button gets no hover events: the tooltip sits on a wrapper, and the
                    // reason is also written under the row for everyone (aria-describedby).
                    <Tooltip title={removeBlocked ? t(`errorReasons.${removeBlocked}`) : t('users.remove')}>
                      <span>
                        <IconButton
                          aria-label={t('users.removeWho', { who: label })}
                          aria-describedby={removeBlocked ? guardId : undefined}
                          disabled={Boolean(removeBlocked)}
                          onClick={() => setPending({ kind: 'remove', userId: m.user.id, label })}
                        >
                          <PersonRemoveIcon />
                        </IconButton>
                      </span>
                    </Tooltip>
                  )}
                </Box>
                {guards.length > 0 && (
                  <Typography id={guardId} variant="caption" component="p" sx={{ color: 'text.secondary', mt: -0.75, pb: 1, pl: { sm: 6 } }}>
                    {guards.map((g) => t(`errorReasons.${g}`)).join(' ')}
                  </Typography>
                )}
              </Box>
            );
          })}
        </Box>
      </Box>

      <Box>
        <Typography variant="h3" component="h3" sx={{ mb: 1 }}>
          {t('users.pending', { count: account.invitations.length })}
        </Typography>
        {account.invitations.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
            {t('users.noPending')}
          </Typography>
        ) : (
          <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }} aria-label={t('users.pendingList')}>
            {account.invitations.map((inv, index) => (
              <Box component="li" key={inv.id}>
                {index > 0 && <Divider component="div" />}
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, py: 1.25, flexWrap: { xs: 'wrap', sm: 'nowrap' } }}>
                  <Box sx={{ flex: 1, minWidth: 0 }}>
                    <Typography variant="body2" sx={{ fontWeight: 500 }} noWrap>
                      {inv.email}
                    </Typography>
                    <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                      {t('users.expires', { date: formatDate(inv.expiresAt, lang) })}
                    </Typography>
                  </Box>
                  <Chip label={t(`roles.${inv.role}`)} variant="outlined" />
                  {canInvite && (
                    <Tooltip title={t('users.revoke')}>
                      <IconButton
                        aria-label={t('users.revokeWho', { who: inv.email })}
                        onClick={() => setPending({ kind: 'revoke', id: inv.id, label: inv.email })}
                      >
                        <CancelScheduleSendIcon />
                      </IconButton>
                    </Tooltip>
                  )}
                </Box>
              </Box>
            ))}
          </Box>
        )}
      </Box>

      <ConfirmDialog
        open={pending !== null}
        title={pending?.kind === 'revoke' ? t('users.revokeTitle') : t('users.removeTitle')}
        message={
          pending
            ? t(pending.kind === 'revoke' ? 'users.revokeConfirm' : 'users.removeConfirm', {
                who: pending.label,
                account: account.name,
              })
            : ''
        }
        confirmLabel={pending?.kind === 'revoke' ? t('users.revoke') : t('users.remove')}
        destructive
        busy={removing || revoking}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      />
    </Box>
  );
}
