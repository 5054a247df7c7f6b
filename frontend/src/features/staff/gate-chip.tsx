import { Chip, Tooltip } from '@mui/material';
import LockIcon from '@mui/icons-material/LockOutlined';
import LockOpenIcon from '@mui/icons-material/LockOpenOutlined';
import { useTranslation } from 'react-i18next';
import type { ContactField } from '../../gql/graphql';

/** Locked (with what is missing) or unlocked. */
export function GateChip({ locked, missing }: { locked: boolean; missing: readonly ContactField[] }) {
  const { t } = useTranslation();
  if (!locked) {
    return <Chip size="small" color="success" icon={<LockOpenIcon />} label={t('gate.unlockedShort')} />;
  }
  const names = missing.map((f) => t(`fields.${f}.label`)).join(', ');
  return (
    <Tooltip title={t('gate.missingList', { fields: names })}>
      <Chip
        size="small"
        color="warning"
        icon={<LockIcon />}
        label={t('gate.lockedShort', { count: missing.length })}
        aria-label={`${t('gate.lockedShort', { count: missing.length })}: ${names}`}
        tabIndex={0}
      />
    </Tooltip>
  );
}
