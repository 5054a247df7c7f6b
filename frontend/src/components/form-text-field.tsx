import type { ReactNode } from 'react';
import { TextField, type TextFieldProps } from '@mui/material';
import { Controller, type Control, type ControllerFieldState, type FieldPath, type FieldValues, type PathValue } from 'react-hook-form';
import { useErrorText, type MaybeError } from '../lib/use-error-text';

/** What a live check says about the value being typed: a problem to show, or a hint in place of the usual one. */
export type LiveCheck = { error?: MaybeError; hint?: ReactNode } | undefined;

export type FormTextFieldProps<T extends FieldValues, N extends FieldPath<T>> = Omit<
  TextFieldProps,
  'name' | 'value' | 'defaultValue' | 'onChange' | 'onBlur' | 'error' | 'inputRef' | 'helperText'
> & {
  control: Control<T>;
  name: N;
  /** Help under the field while it has no error. */
  hint?: ReactNode;
  /** Checks the value as it is typed (e.g. a phone number), before the form is submitted. */
  liveCheck?: (value: PathValue<T, N>, state: ControllerFieldState) => LiveCheck;
};

/**
 * A react-hook-form field as an MUI TextField: its error (a client message or a server field problem,
 * see lib/server-field-errors) replaces the hint, translated by useErrorText. `data-field` names the
 * form path on the input, so a server problem can be traced to the element that shows it.
 */
export function FormTextField<T extends FieldValues, N extends FieldPath<T>>({
  control,
  name,
  hint,
  liveCheck,
  slotProps,
  ...rest
}: FormTextFieldProps<T, N>) {
  const errorText = useErrorText();
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => {
        const live = fieldState.error ? undefined : liveCheck?.(field.value, fieldState);
        const problem = fieldState.error ?? live?.error;
        const message = errorText(problem);
        const htmlInput = slotProps?.htmlInput;
        return (
          <TextField
            {...rest}
            name={field.name}
            value={field.value ?? ''}
            onChange={field.onChange}
            onBlur={field.onBlur}
            inputRef={field.ref}
            error={Boolean(problem)}
            helperText={message ?? live?.hint ?? hint}
            slotProps={{
              ...slotProps,
              htmlInput: typeof htmlInput === 'function' ? htmlInput : { ...htmlInput, 'data-field': field.name },
            }}
          />
        );
      }}
    />
  );
}
