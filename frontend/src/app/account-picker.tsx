import { MenuItem, TextField, Typography } from '@mui/material';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../lib/me-context';

/** Switches between the accounts the person belongs to, staying on the same section. */
export function AccountPicker({ accountId, accountName }: { accountId: string; accountName: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const accounts = me.memberships.map((m) => m.account);
  if (accounts.length <= 1) {
    return (
      <Typography variant="body1" sx={{ fontWeight: 500, px: 1 }} noWrap>
        {accountName}
      </Typography>
    );
  }
  return (
    <TextField
      select
      value={accounts.some((a) => a.id === accountId) ? accountId : ''}
      label={t('shell.account')}
      onChange={(e) => {
        const section = location.pathname.split('/')[3] ?? 'overview';
        navigate(`/accounts/${encodeURIComponent(e.target.value)}/${section}${location.search}`);
      }}
      sx={{ minWidth: 200, maxWidth: 280 }}
    >
      {accounts.map((a) => (
        <MenuItem key={a.id} value={a.id}>
          {a.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
