import { useId, useState } from 'react';
import { Alert, Box, Button, Typography } from '@mui/material';
import CheckCircleOutlineIcon from '@mui/icons-material/CheckCircleOutlineOutlined';
import LogoutIcon from '@mui/icons-material/Logout';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import type { Environment } from '../../gql/graphql';
import { AppDialog } from '../../components/app-dialog';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../lib/format';
import { LanguageSwitch } from '../../components/language-switch';
import { ContactInfoEditor } from '../contact-info/contact-info-editor';
import { getFragmentData } from '../../gql/fragment-masking';
import { AccessGateFieldsDoc } from '../../components/gate-chip';
import type { LiveGate } from '../../lib/live-gate';

export const ConfirmContactInfoDocument = graphql(`
  mutation ConfirmContactInfo($accountId: ID!, $environment: Environment!) {
    confirmContactInfo(accountId: $accountId) {
      account {
        id
        accessGate(environment: $environment) {
          ...AccessGateFields
        }
        contactInfo {
          reviewedAt
          reviewDueAt
        }
      }
    }
  }
`);

export type ReviewGate = LiveGate;

const POSTPONED = 'cg-review-postponed';

/** Whether the review due at dueAt was postponed for this account in this browser session. */
export function reviewPostponed(accountId: string, dueAt: string | undefined): boolean {
  try {
    return sessionStorage.getItem(`${POSTPONED}:${accountId}`) === dueAt;
  } catch {
    return false;
  }
}

function postpone(accountId: string, dueAt: string | undefined) {
  try {
    if (dueAt) sessionStorage.setItem(`${POSTPONED}:${accountId}`, dueAt);
  } catch {
    // Private modes without storage: the review mode comes back at the next page load.
  }
}

type Props = {
  open: boolean;
  accountId: string;
  accountName: string;
  environment: Environment;
  gate: ReviewGate;
  /** Readers cannot confirm: they are told to ask an administrator or editor. */
  canConfirm: boolean;
  /** The review is confirmed or the form saved: the caller re-reads the gate. */
  onReviewed: (gate: ReviewGate) => void;
  onPostponed: () => void;
  onSignOut: () => void;
};

/**
 * The contact-info modal in review mode: the same form, pre-filled, with "Confirm, all still correct"
 * as the first action. While within the grace it can be postponed (for this session); past it, it
 * blocks like the completion modal (no way to dismiss it).
 */
export function ReviewModal({ open, accountId, accountName, environment, gate, canConfirm, onReviewed, onPostponed, onSignOut }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const introId = useId();
  const [{ fetching, error }, confirm] = useMutation(ConfirmContactInfoDocument);
  const [confirmed, setConfirmed] = useState(false);
  const locked = Boolean(gate.reviewLocked);
  const due = gate.reviewDueAt ? formatDateTime(gate.reviewDueAt, lang) : '';
  const locks = gate.reviewLocksAt ? formatDateTime(gate.reviewLocksAt, lang) : '';

  const onConfirm = async () => {
    const result = await confirm({ accountId, environment });
    const next = result.data?.confirmContactInfo.account.accessGate;
    if (next) {
      setConfirmed(true);
      onReviewed(getFragmentData(AccessGateFieldsDoc, next));
    }
  };
  const later = () => {
    postpone(accountId, gate.reviewDueAt);
    onPostponed();
  };

  return (
    <AppDialog
      open={open}
      testId="review-modal"
      title={t('review.title')}
      subtitle={t('gate.subtitle', { account: accountName, environment: t(`environment.${environment}`) })}
      describedBy={introId}
      maxWidth="lg"
      fullScreenOnPhone
      fixedHeight
      onClose={locked ? undefined : later}
      focusOnClose={() => document.querySelector<HTMLElement>('main h1')}
      headerActions={<LanguageSwitch compact />}
      actions={
        <Box sx={{ display: 'flex', justifyContent: 'flex-end', width: '100%' }}>
          <Button startIcon={<LogoutIcon />} onClick={onSignOut} color="inherit">
            {t('user.signOut')}
          </Button>
        </Box>
      }
    >
      <Box id={introId} sx={{ pt: 2, mb: 2, display: 'grid', gap: 1.5, maxWidth: 900 }}>
        <Alert severity={locked ? 'error' : 'warning'}>
          {t('review.dueSince', { date: due })}{' '}
          {locked ? t('review.blocking') : locks ? t('review.postponeUntil', { date: locks }) : t('review.neverBlocks')}
        </Alert>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('review.intro')}
        </Typography>
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          {canConfirm ? (
            <Button
              variant="contained"
              startIcon={<CheckCircleOutlineIcon />}
              onClick={() => void onConfirm()}
              disabled={fetching || confirmed}
            >
              {t('review.confirm')}
            </Button>
          ) : (
            <Alert severity="info" sx={{ flex: 1 }}>
              {t('review.askEditor')}
            </Alert>
          )}
          {!locked && (
            <Button variant="outlined" onClick={later}>
              {t('review.later')}
            </Button>
          )}
        </Box>
        {error && <ErrorAlert error={error} />}
      </Box>
      <ContactInfoEditor
        accountId={accountId}
        environment={environment}
        variant="modal"
        // A save is a review too.
        onSaved={(account) => onReviewed({ ...getFragmentData(AccessGateFieldsDoc, account.accessGate), reviewOverdue: false, reviewLocked: false })}
      />
    </AppDialog>
  );
}
