import { Box, Chip, Divider, IconButton, Tooltip, Typography } from '@mui/material';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { getFragmentData, type FragmentType } from '../../gql/fragment-masking';
import { formatDateTime } from '../../lib/format';

/** An API token as the list shows it (never its secret, which only createApiToken returns, once). */
export const ApiTokenFieldsDoc = graphql(`
  fragment ApiTokenFields on ApiToken {
    id
    name
    readOnly
    prefix
    createdAt
    lastUsedAt
    lastUsedIp
    expiresAt
  }
`);

type Props = {
  token: FragmentType<typeof ApiTokenFieldsDoc>;
  /** A line above every row but the first. */
  divider: boolean;
  onRevoke: (token: { id: string; name: string }) => void;
  /** When the page was opened: a token whose expiry lies before it shows as expired. */
  openedAt: number;
};

/** One token: name, prefix, when created, last used (and from where), when it expires, read-only or not, and its revoke button. */
export function ApiTokenRow({ token: ref, divider, onRevoke, openedAt }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const token = getFragmentData(ApiTokenFieldsDoc, ref);
  return (
    <Box component="li">
      {divider && <Divider component="div" />}
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', py: 1.5, flexWrap: 'wrap' }}>
        <Box sx={{ flex: 1, minWidth: 200 }}>
          <Typography variant="body2" sx={{ fontWeight: 500 }}>
            {token.name}{' '}
            <Box component="code" sx={{ color: 'text.secondary', fontSize: 13 }}>
              {token.prefix}…
            </Box>
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('apiAccess.created', { when: formatDateTime(token.createdAt, lang) })}
            {' · '}
            {token.lastUsedAt ? t('apiAccess.lastUsed', { when: formatDateTime(token.lastUsedAt, lang) }) : t('apiAccess.neverUsed')}
            {token.lastUsedAt && token.lastUsedIp ? ` ${t('apiAccess.fromIp', { ip: token.lastUsedIp })}` : ''}
            {' · '}
            {!token.expiresAt
              ? t('apiAccess.noExpiry')
              : new Date(token.expiresAt).getTime() <= openedAt
                ? t('apiAccess.expired', { when: formatDateTime(token.expiresAt, lang) })
                : t('apiAccess.expires', { when: formatDateTime(token.expiresAt, lang) })}
          </Typography>
        </Box>
        <Chip
          variant="outlined"
          label={token.readOnly ? t('apiAccess.readOnlyChip') : t('apiAccess.readWriteChip')}
          color={token.readOnly ? 'default' : 'primary'}
        />
        <Tooltip title={t('apiAccess.revoke')}>
          <IconButton aria-label={t('apiAccess.revokeWho', { name: token.name })} onClick={() => onRevoke({ id: token.id, name: token.name })}>
            <DeleteOutlineIcon />
          </IconButton>
        </Tooltip>
      </Box>
    </Box>
  );
}
