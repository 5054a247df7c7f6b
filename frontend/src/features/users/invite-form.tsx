import { useState } from 'react';
import { Box, Button, MenuItem } from '@mui/material';
import PersonAddIcon from '@mui/icons-material/PersonAddAlt1';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useMutation, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import type { Role } from '../../gql/graphql';
import { emailSchema } from '../../lib/email';
import { inputFields, setServerFieldErrors } from '../../lib/server-field-errors';
import { ErrorAlert } from '../../components/error-alert';
import { FormTextField } from '../../components/form-text-field';

export const InviteUserDocument = graphql(`
  mutation InviteUser($input: InviteUserInput!) {
    inviteUser(input: $input) {
      id
      email
      role
      expiresAt
      createdAt
    }
  }
`);

export const ROLES: Role[] = ['READ_ONLY', 'EDITOR', 'ADMINISTRATOR'];

const schema = z.object({
  email: emailSchema,
  role: z.enum(['READ_ONLY', 'EDITOR', 'ADMINISTRATOR']),
});
type Values = z.infer<typeof schema>;

/** Invite a person by email with a role. */
export function InviteForm({ accountId, onInvited }: { accountId: string; onInvited: (email: string) => void }) {
  const { t } = useTranslation();
  const [{ fetching }, invite] = useMutation(InviteUserDocument);
  const [failure, setFailure] = useState<CombinedError>();
  const { control, handleSubmit, reset, setError } = useForm<Values>({
    defaultValues: { email: '', role: 'EDITOR' },
    resolver: zodResolver(schema),
  });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(undefined);
    const result = await invite({ input: { accountId, email: values.email, role: values.role } });
    if (result.error) {
      if (!setServerFieldErrors(result.error, setError, inputFields<Values>(['role'], 'email'))) setFailure(result.error);
      return;
    }
    reset({ email: '', role: values.role });
    onInvited(values.email);
  });

  return (
    <Box component="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label={t('users.inviteTitle')}>
      <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr', sm: '1fr 200px auto' }, alignItems: 'start' }}>
        <FormTextField control={control} name="email" type="email" label={t('users.inviteEmail')} autoComplete="off" required />
        <FormTextField control={control} name="role" select label={t('users.role')}>
          {ROLES.map((role) => (
            <MenuItem key={role} value={role}>
              {t(`roles.${role}`)}
            </MenuItem>
          ))}
        </FormTextField>
        <Button type="submit" variant="contained" startIcon={<PersonAddIcon />} disabled={fetching} sx={{ height: 40 }}>
          {t('users.invite')}
        </Button>
      </Box>
      {failure && <ErrorAlert error={failure} sx={{ mt: 1.5 }} onClose={() => setFailure(undefined)} />}
    </Box>
  );
}
