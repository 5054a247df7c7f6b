import { Alert, Box, Button } from '@mui/material';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ContactField, ContactInfoFieldsFragment, Environment } from '../../gql/graphql';
import { KEEPS_EDITS } from '../../components/unsaved-changes';
import { AlertContactsField, type MemberOption } from './alert-contacts-field';
import { ContactListField } from './contact-list-field';
import { ContactRow } from './contact-row';
import { SupportHoursField } from './support-hours-field';
import { SupportHoursSummary } from './support-hours-summary';

type Props = {
  field: ContactField;
  environment: Environment;
  readOnly: boolean;
  /** The id of the section's help text. */
  describedBy: string;
  memberOptions: MemberOption[];
  info: ContactInfoFieldsFragment;
};

/** The input (or, read-only, the text) of one of the seven contact fields. */
export function ContactFieldInput({ field, environment, readOnly, describedBy, memberOptions, info }: Props) {
  const { t } = useTranslation();
  const label = t(`fields.${field}.label`);
  switch (field) {
    case 'ALERT_CONTACTS':
      return environment === 'PRODUCTION' ? (
        <AlertContactsField options={memberOptions} readOnly={readOnly} describedBy={describedBy} label={label} />
      ) : (
        <AlertContactsInSandbox readOnly={readOnly} />
      );
    case 'TECHNICAL_EMERGENCY':
      return (
        <ContactListField
          name="technicalEmergency"
          label={label}
          readOnly={readOnly}
          describedBy={describedBy}
          emailHint={t('fields.TECHNICAL_EMERGENCY.hint')}
        />
      );
    case 'TECHNICAL_NON_EMERGENCY':
      return <ContactListField name="technicalNonEmergency" label={label} readOnly={readOnly} describedBy={describedBy} />;
    case 'MERCHANT_ISSUES':
      return <ContactListField name="merchantIssues" label={label} readOnly={readOnly} describedBy={describedBy} />;
    case 'OPERATIONAL_FOR_GOOGLE':
      return <ContactListField name="operationalForGoogle" label={label} readOnly={readOnly} describedBy={describedBy} />;
    case 'OPERATIONAL_FOR_USERS':
      return (
        <ContactRow
          prefix="operationalForUsers"
          readOnly={readOnly}
          groupLabel={label}
          describedBy={describedBy}
          emailHint={readOnly ? undefined : t('fields.OPERATIONAL_FOR_USERS.hint')}
        />
      );
    case 'OPERATIONAL_SUPPORT':
      return readOnly ? <SupportHoursSummary hours={info.operationalSupport} /> : <SupportHoursField describedBy={describedBy} />;
  }
}

/** Alert contacts exist in Production only; an editor is offered the switch. */
function AlertContactsInSandbox({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  // The form stays mounted across the switch (it is keyed by account), so what was typed is kept and
  // saving in Production completes both environments at once.
  const [params, setParams] = useSearchParams();
  const switchToProduction = () => {
    const next = new URLSearchParams(params);
    next.set('env', 'production');
    setParams(next, { state: KEEPS_EDITS });
  };
  return (
    <Alert severity="info" variant="outlined">
      {t(readOnly ? 'contactInfo.alertContactsSandbox' : 'contactInfo.alertContactsSandboxSwitch')}
      {!readOnly && (
        <Box sx={{ mt: 1 }}>
          <Button variant="outlined" size="small" onClick={switchToProduction}>
            {t('contactInfo.switchToProduction')}
          </Button>
        </Box>
      )}
    </Alert>
  );
}
