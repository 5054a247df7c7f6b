import { Alert, Box, Button, IconButton, Tooltip, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import { useFieldArray, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../lib/use-error-text';
import { ContactRow } from './contact-row';
import { blankContact, MAX_CONTACTS, type ContactFormValues, type ListField } from './form-model';

type Props = {
  name: ListField;
  label: string;
  readOnly: boolean;
  describedBy: string;
  emailHint?: string;
};

/** Up to ten contacts for one field; rows can be added and removed. */
export function ContactListField({ name, label, readOnly, describedBy, emailHint }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const {
    control,
    formState: { errors },
  } = useFormContext<ContactFormValues>();
  const { fields, append, remove } = useFieldArray({ control, name });
  const listError = errors[name] as { message?: string; type?: string; root?: { message?: string; type?: string } } | undefined;
  const listMessage = errorText(listError?.root ?? (listError?.message ? listError : undefined) as never);

  if (readOnly && fields.length === 0) {
    return (
      <Typography variant="body2" sx={{ fontStyle: 'italic', color: 'text.secondary' }}>
        {t('contactInfo.noContacts')}
      </Typography>
    );
  }

  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      {fields.map((row, index) => (
        <ContactRowWithRemove
          key={row.id}
          name={name}
          index={index}
          label={label}
          readOnly={readOnly}
          describedBy={describedBy}
          emailHint={index === 0 ? emailHint : undefined}
          onRemove={() => remove(index)}
        />
      ))}
      {listMessage && (
        <Alert severity="error" variant="outlined" role="alert">
          {listMessage}
        </Alert>
      )}
      {!readOnly && (
        <Box>
          <Button
            startIcon={<AddIcon />}
            onClick={() => append(blankContact(), { shouldFocus: true, focusName: `${name}.${fields.length}.email` })}
            disabled={fields.length >= MAX_CONTACTS}
          >
            {t('contactInfo.addContact')}
          </Button>
          {fields.length >= MAX_CONTACTS && (
            <Typography variant="caption" sx={{ color: 'text.secondary', ml: 1 }}>
              {t('contactInfo.maxContacts', { max: MAX_CONTACTS })}
            </Typography>
          )}
        </Box>
      )}
    </Box>
  );
}

type RowProps = {
  name: ListField;
  index: number;
  label: string;
  readOnly: boolean;
  describedBy: string;
  emailHint?: string;
  onRemove: () => void;
};

function ContactRowWithRemove({ name, index, label, readOnly, describedBy, emailHint, onRemove }: RowProps) {
  const { t } = useTranslation();
  const groupLabel = t('contactInfo.contactN', { n: index + 1, field: label });
  return (
    <ContactRow
      prefix={`${name}.${index}`}
      readOnly={readOnly}
      groupLabel={groupLabel}
      describedBy={describedBy}
      emailHint={emailHint}
      phoneHint={index === 0}
      trailing={
        readOnly ? undefined : (
          <Tooltip title={t('contactInfo.removeContact')}>
            <IconButton aria-label={t('contactInfo.removeContactN', { n: index + 1, field: label })} onClick={onRemove}>
              <DeleteOutlineIcon />
            </IconButton>
          </Tooltip>
        )
      }
    />
  );
}
