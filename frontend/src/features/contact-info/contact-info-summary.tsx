import { Box, Card, CardContent, Chip, Link, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { ContactField, ContactInfoFieldsFragment, Environment } from '../../gql/graphql';
import { formatPhone, telHref } from '../../lib/phone';
import { FIELD_ORDER, fieldNeed } from './field-meta';
import { SupportHoursSummary } from './support-hours-summary';

type Person = { name?: string | null; email: string; phone?: string | null };

/** Every contact field as read-only cards (staff account view). */
export function ContactInfoSummary({
  info,
  missing,
  environment = 'PRODUCTION',
}: {
  info: ContactInfoFieldsFragment;
  missing: readonly ContactField[];
  environment?: Environment;
}) {
  const { t } = useTranslation();
  const people = (field: ContactField): Person[] => {
    switch (field) {
      case 'ALERT_CONTACTS':
        return info.alertContacts;
      case 'TECHNICAL_EMERGENCY':
        return info.technicalEmergency;
      case 'TECHNICAL_NON_EMERGENCY':
        return info.technicalNonEmergency;
      case 'MERCHANT_ISSUES':
        return info.merchantIssues;
      case 'OPERATIONAL_FOR_GOOGLE':
        return info.operationalForGoogle;
      case 'OPERATIONAL_FOR_USERS':
        return info.operationalForUsers ? [info.operationalForUsers] : [];
      default:
        return [];
    }
  };
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
      {FIELD_ORDER.filter((f) => fieldNeed(f, environment, info.merchantIssuesRequirement) !== 'hidden').map((field) => (
        <Card key={field} sx={{ height: '100%' }}>
          <CardContent>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}>
              <Typography variant="h3" component="h3" sx={{ flex: 1 }}>
                {t(`fields.${field}.label`)}
              </Typography>
              {missing.includes(field) && <Chip size="small" color="warning" label={t(`fields.${field}.missing`)} />}
            </Box>
            {field === 'OPERATIONAL_SUPPORT' ? (
              <SupportHoursSummary hours={info.operationalSupport} />
            ) : people(field).length === 0 ? (
              <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
                {t('contactInfo.noContacts')}
              </Typography>
            ) : (
              <Box component="ul" sx={{ m: 0, p: 0, listStyle: 'none', display: 'grid', gap: 1 }}>
                {people(field).map((p) => (
                  <Box component="li" key={p.email}>
                    {p.name && (
                      <Typography variant="body2" sx={{ fontWeight: 500 }}>
                        {p.name}
                      </Typography>
                    )}
                    <Typography variant="body2">
                      <Link href={`mailto:${p.email}`}>{p.email}</Link>
                      {p.phone && (
                        <>
                          {' · '}
                          <Link href={telHref(p.phone)}>{formatPhone(p.phone)}</Link>
                        </>
                      )}
                    </Typography>
                  </Box>
                ))}
              </Box>
            )}
          </CardContent>
        </Card>
      ))}
    </Box>
  );
}
