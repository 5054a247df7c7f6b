import { useId, useState } from 'react';
import { Box, Button, Checkbox, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel } from '@mui/material';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useMutation, type CombinedError } from 'urql';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { emailSchema } from '../../lib/email';
import { usePortalConfig, useIntegrationTypeLabel } from '../../lib/portal-config';
import { inputFields, setServerFieldErrors } from '../../lib/server-field-errors';
import { useErrorText } from '../../lib/use-error-text';
import { AppDialog } from '../../components/app-dialog';
import { ErrorAlert } from '../../components/error-alert';
import { FormTextField } from '../../components/form-text-field';

const CreateAccountDocument = graphql(`
  mutation CreateAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      id
      name
    }
  }
`);

const schema = z.object({
  name: z.string().trim().min(1, 'validation.nameRequired').max(128, 'validation.nameTooLong'),
  integrationTypes: z.array(z.string()).min(1, 'validation.typesRequired'),
  administratorEmail: emailSchema,
});
type Values = z.infer<typeof schema>;

/** Staff onboard a partner: the account, its integration types, and an invitation to its first administrator. */
export function CreateAccountDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const config = usePortalConfig();
  const typeLabel = useIntegrationTypeLabel();
  const navigate = useNavigate();
  const formId = useId();
  const [{ fetching }, createAccount] = useMutation(CreateAccountDocument);
  const [failure, setFailure] = useState<CombinedError>();
  const { control, handleSubmit, reset, setError } = useForm<Values>({
    defaultValues: { name: '', integrationTypes: [], administratorEmail: '' },
    resolver: zodResolver(schema),
  });

  const close = () => {
    reset();
    setFailure(undefined);
    onClose();
  };

  const onSubmit = handleSubmit(async (values) => {
    setFailure(undefined);
    const result = await createAccount({ input: values });
    if (result.error || !result.data) {
      setServerFieldErrors(result.error, setError, inputFields<Values>(['name', 'integrationTypes', 'administratorEmail']));
      setFailure(result.error);
      return;
    }
    const id = result.data.createAccount.id;
    close();
    navigate(`/staff/accounts/${encodeURIComponent(id)}?created=1`);
  });

  return (
    <AppDialog
      open={open}
      onClose={close}
      title={t('staff.createTitle')}
      subtitle={t('staff.createSubtitle')}
      actions={
        <>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="contained" disabled={fetching}>
            {t('staff.create')}
          </Button>
        </>
      }
    >
      <Box component="form" id={formId} noValidate onSubmit={(e) => void onSubmit(e)} sx={{ display: 'grid', gap: 2, pt: 1 }}>
        <FormTextField control={control} name="name" label={t('staff.accountName')} required />
        <Controller
          control={control}
          name="integrationTypes"
          render={({ field, fieldState }) => (
            <FormControl component="fieldset" error={Boolean(fieldState.error)} required>
              <FormLabel component="legend">{t('staff.integrationTypes')}</FormLabel>
              <FormGroup sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
                {(config?.integrationTypes ?? []).map((it, i) => (
                  <FormControlLabel
                    key={it.name}
                    control={
                      <Checkbox
                        slotProps={{ input: { ref: i === 0 ? field.ref : undefined } }}
                        checked={field.value.includes(it.name)}
                        onChange={(e) =>
                          field.onChange(e.target.checked ? [...field.value, it.name] : field.value.filter((v) => v !== it.name))
                        }
                      />
                    }
                    label={typeLabel(it.name)}
                  />
                ))}
              </FormGroup>
              {fieldState.error && <FormHelperText>{errorText(fieldState.error)}</FormHelperText>}
            </FormControl>
          )}
        />
        <FormTextField
          control={control}
          name="administratorEmail"
          type="email"
          label={t('staff.adminEmail')}
          required
          hint={t('staff.adminEmailHint')}
        />
        {failure && <ErrorAlert error={failure} />}
      </Box>
    </AppDialog>
  );
}
