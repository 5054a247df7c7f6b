import { Chip, Tooltip } from '@mui/material';
import LockIcon from '@mui/icons-material/LockOutlined';
import LockOpenIcon from '@mui/icons-material/LockOpenOutlined';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql/gql';
import { getFragmentData, type FragmentType } from '../gql/fragment-masking';

/** What the portal knows of one environment's gate; spread wherever a gate is shown or obeyed. */
export const AccessGateFieldsDoc = graphql(`
  fragment AccessGateFields on AccessGate {
    environment
    locked
    missing
    reviewDueAt
    reviewOverdue
    reviewLocked
    reviewLocksAt
  }
`);

/** Locked (with what is missing) or unlocked. */
export function GateChip(props: { gate: FragmentType<typeof AccessGateFieldsDoc> }) {
  const { t } = useTranslation();
  const { locked, missing } = getFragmentData(AccessGateFieldsDoc, props.gate);
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
