import { Autocomplete, Chip, TextField } from '@mui/material';
import { Controller, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../lib/use-error-text';
import type { ContactFormValues } from './form-model';

export type MemberOption = { id: string; email: string; name: string | null };

type Props = { options: MemberOption[]; readOnly: boolean; describedBy: string; label: string };

const optionLabel = (m: MemberOption) => (m.name ? `${m.name} (${m.email})` : m.email);

/** Alert contacts are members of the account, chosen in a multi-select (PRODUCTION only). */
export function AlertContactsField({ options, readOnly, describedBy, label }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { control } = useFormContext<ContactFormValues>();
  return (
    <Controller
      control={control}
      name="alertContactUserIds"
      render={({ field, fieldState }) => {
        const value = options.filter((m) => field.value.includes(m.id));
        return (
          <Autocomplete
            multiple
            options={options}
            value={value}
            readOnly={readOnly}
            filterSelectedOptions
            autoHighlight
            getOptionLabel={optionLabel}
            isOptionEqualToValue={(a, b) => a.id === b.id}
            onChange={(_, next) => field.onChange(next.map((m) => m.id))}
            onBlur={field.onBlur}
            noOptionsText={t('contactInfo.noMoreMembers')}
            renderValue={(selected, getItemProps) =>
              selected.map((m, index) => {
                const { key, ...itemProps } = getItemProps({ index });
                return <Chip key={key} size="small" label={optionLabel(m)} {...itemProps} />;
              })
            }
            renderInput={(params) => (
              <TextField
                {...params}
                name={field.name}
                inputRef={field.ref}
                label={label}
                placeholder={readOnly || value.length ? undefined : t('contactInfo.chooseMembers')}
                error={Boolean(fieldState.error)}
                helperText={errorText(fieldState.error) ?? (readOnly ? undefined : t('contactInfo.alertContactsHint'))}
                slotProps={{
                  ...params.slotProps,
                  htmlInput: { ...params.slotProps.htmlInput, 'aria-describedby': describedBy, 'data-field': field.name },
                }}
              />
            )}
          />
        );
      }}
    />
  );
}
