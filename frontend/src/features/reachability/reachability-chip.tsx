import { Chip, Tooltip } from '@mui/material';
import VerifiedIcon from '@mui/icons-material/VerifiedOutlined';
import HelpIcon from '@mui/icons-material/HelpOutlineOutlined';
import ErrorIcon from '@mui/icons-material/ErrorOutlineOutlined';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import type { Address } from './reachability-context';

const colors = { VERIFIED: 'success', UNVERIFIED: 'warning', BOUNCED: 'error', DISPUTED: 'error' } as const;

/** A sentence saying what the state means for this address: verified when and how, bounced why, last test. */
export function useReachabilityText() {
  const { t, i18n } = useTranslation();
  return (a: Address): string => {
    const when = formatDateTime(a.since, i18n.resolvedLanguage ?? 'en');
    let text: string;
    switch (a.state) {
      case 'VERIFIED':
        text = t('reach.tip.VERIFIED', { when, how: t(`reach.how.${a.verifiedBy ?? 'LINK'}`) });
        break;
      case 'BOUNCED':
        text = t('reach.tip.BOUNCED', { when, reply: a.detail ?? '' });
        break;
      case 'DISPUTED':
        text = t('reach.tip.DISPUTED', { when });
        break;
      default:
        text = t('reach.tip.UNVERIFIED', { when });
    }
    if (a.lastTest) {
      text += ' ' + t('reach.lastTest', { status: t(`reach.testStatus.${a.lastTest.status}`), when: formatDateTime(a.lastTest.at, i18n.resolvedLanguage ?? 'en') });
    }
    return text;
  };
}

/** The state of one address as a small chip; the tooltip (also read by screen readers) says when, how or why. */
export function ReachabilityChip({ address }: { address: Address }) {
  const { t } = useTranslation();
  const describe = useReachabilityText();
  const text = describe(address);
  const icon = address.state === 'VERIFIED' ? <VerifiedIcon /> : address.state === 'UNVERIFIED' ? <HelpIcon /> : <ErrorIcon />;
  return (
    <Tooltip title={text} describeChild>
      <Chip
        size="small"
        variant={address.state === 'VERIFIED' ? 'outlined' : 'filled'}
        color={colors[address.state]}
        icon={icon}
        label={t(`reach.state.${address.state}`)}
        tabIndex={0}
        data-reachability={address.state}
        aria-label={`${t(`reach.state.${address.state}`)}: ${text}`}
      />
    </Tooltip>
  );
}
