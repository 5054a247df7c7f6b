import type { ReactNode } from 'react';
import { Box, Chip, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { ContactField } from '../../gql/graphql';
import { sectionId, type FieldNeed } from './field-meta';
import { SendTestButton } from '../reachability/send-test-button';

type Props = {
  field: ContactField;
  need: FieldNeed;
  missing: boolean;
  children: ReactNode;
};

/** One of the seven fields: its name, whether it is required, its purpose (from the help page), then its inputs. */
export function FieldSection({ field, need, missing, children }: Props) {
  const { t } = useTranslation();
  const id = sectionId(field);
  return (
    <Box
      component="section"
      id={id}
      aria-labelledby={`${id}-title`}
      sx={{ py: 2.5, borderTop: 1, borderColor: 'divider', '&:first-of-type': { borderTop: 0, pt: 1 } }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 0.5 }}>
        <Typography id={`${id}-title`} variant="h3" component="h3">
          {t(`fields.${field}.label`)}
        </Typography>
        {need === 'required' && <Chip size="small" variant="outlined" label={t(`fields.${field}.required`)} />}
        {need === 'optional' && <Chip size="small" variant="outlined" label={t('contactInfo.optional')} />}
        {need === 'productionOnly' && <Chip size="small" variant="outlined" label={t('contactInfo.productionOnly')} />}
        {missing && <Chip size="small" color="warning" label={t(`fields.${field}.missing`)} />}
        {!missing && need !== 'productionOnly' && <SendTestButton field={field} />}
      </Box>
      <Typography id={`${id}-help`} variant="body2" sx={{ color: 'text.secondary', mb: 2, maxWidth: 820 }}>
        {t(`fields.${field}.help`)}
      </Typography>
      {children}
    </Box>
  );
}
