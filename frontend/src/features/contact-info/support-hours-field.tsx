import { useMemo } from 'react';
import {
  Autocomplete,
  Box,
  Button,
  Chip,
  FormControl,
  FormControlLabel,
  FormHelperText,
  FormLabel,
  IconButton,
  Radio,
  RadioGroup,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import CheckIcon from '@mui/icons-material/Check';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import ContentCopyIcon from '@mui/icons-material/ContentCopyOutlined';
import { Alert } from '@mui/material';
import { Controller, useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { DayOfWeek } from '../../gql/graphql';
import { DAYS, dayName } from '../../lib/format';
import { useErrorText } from '../../lib/use-error-text';
import { FormTextField } from '../../components/form-text-field';
import { defaultWindow, type ContactFormValues, type WindowValue } from './form-model';
import { hoursSummary, nextWindow, overlappingWindows, presetWindows, PRESET_KEYS, type PresetKey } from './hours-tools';
import { browserTimeZone } from './time-zones';
import { filterZones, timeZoneLabel, zoneOptions, type ZoneOption } from './time-zones';

type Props = { describedBy: string };

/** "24/7" or one or more windows of days, opening and closing local time, and time zone. */
export function SupportHoursField({ describedBy }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const errorText = useErrorText();
  const { control, setValue, getValues } = useFormContext<ContactFormValues>();
  const { fields, append, remove, insert, replace } = useFieldArray({ control, name: 'operationalSupport.windows' });
  const mode = useWatch({ control, name: 'operationalSupport.mode' });
  const windows = (useWatch({ control, name: 'operationalSupport.windows' }) ?? []) as WindowValue[];
  const overlaps = mode === 'windows' ? overlappingWindows(windows) : [];
  const summary = mode === 'windows' ? hoursSummary(windows, lang) : mode === 'alwaysOpen' ? t('support.alwaysOpenLong') : '';

  const applyPreset = (key: PresetKey) => {
    // In the zone already chosen, else the user's own.
    const zone = getValues('operationalSupport.windows')?.[0]?.timeZone || browserTimeZone();
    const next = presetWindows(key, zone);
    setValue('operationalSupport.mode', next ? 'windows' : 'alwaysOpen', { shouldDirty: true, shouldValidate: false });
    replace(next ?? []);
  };

  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Box role="group" aria-label={t('support.presets')} sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
        <Typography variant="body2" component="span" sx={{ color: 'text.secondary', mr: 0.5 }}>
          {t('support.presets')}
        </Typography>
        {PRESET_KEYS.map((key) => (
          <Button key={key} size="small" variant="outlined" onClick={() => applyPreset(key)}>
            {t(`support.preset.${key}`)}
          </Button>
        ))}
      </Box>
      <Controller
        control={control}
        name="operationalSupport.mode"
        render={({ field, fieldState }) => (
          <FormControl component="fieldset" error={Boolean(fieldState.error)} aria-describedby={describedBy}>
            <FormLabel component="legend" sx={{ mb: 0.5 }}>
              {t('support.modeLabel')}
            </FormLabel>
            <RadioGroup
              row
              name={field.name}
              value={field.value === 'unset' ? '' : field.value}
              onChange={(event) => {
                const next = event.target.value as ContactFormValues['operationalSupport']['mode'];
                field.onChange(next);
                if (next === 'windows' && fields.length === 0) append(defaultWindow(), { shouldFocus: false });
              }}
            >
              <FormControlLabel
                value="alwaysOpen"
                control={<Radio slotProps={{ input: { ref: field.ref } }} />}
                label={t('support.alwaysOpen')}
              />
              <FormControlLabel value="windows" control={<Radio />} label={t('support.specificHours')} />
            </RadioGroup>
            {fieldState.error && <FormHelperText>{errorText(fieldState.error)}</FormHelperText>}
          </FormControl>
        )}
      />
      {mode === 'windows' && (
        <>
          {fields.map((row, index) => (
            <WindowEditor
              key={row.id}
              index={index}
              onRemove={fields.length > 1 ? () => remove(index) : undefined}
              onCopy={() => insert(index + 1, { ...getValues(`operationalSupport.windows.${index}`) })}
            />
          ))}
          <Box>
            <Button startIcon={<AddIcon />} onClick={() => append(nextWindow(getValues('operationalSupport.windows') ?? [], defaultWindow()))}>
              {t('support.addWindow')}
            </Button>
          </Box>
          {overlaps.length > 0 && (
            <Alert severity="warning">
              {overlaps.map(([a, b]) => t('support.overlap', { a, b })).join(' ')}
            </Alert>
          )}
        </>
      )}
      {summary && (
        <Typography variant="body2" aria-live="polite" sx={{ color: 'text.secondary' }}>
          {t('support.summary', { summary })}
        </Typography>
      )}
    </Box>
  );
}

function WindowEditor({ index, onRemove, onCopy }: { index: number; onRemove?: () => void; onCopy: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  const errorText = useErrorText();
  const { control } = useFormContext<ContactFormValues>();
  const base = `operationalSupport.windows.${index}` as const;
  const zoneList = useMemo(() => zoneOptions(lang), [lang]);
  const zoneByName = useMemo(() => new Map(zoneList.map((z) => [z.name, z])), [zoneList]);
  const zones = useMemo(() => zoneList.map((z) => z.name), [zoneList]);

  return (
    <Box
      role="group"
      aria-label={t('support.windowN', { n: index + 1 })}
      sx={{ border: 1, borderColor: 'divider', borderRadius: 2, p: 2, display: 'grid', gap: 2, bgcolor: 'background.default' }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="subtitle2" component="p" sx={{ flex: 1 }}>
          {t('support.windowN', { n: index + 1 })}
        </Typography>
        <Tooltip title={t('support.copyWindow')}>
          <IconButton aria-label={t('support.copyWindowN', { n: index + 1 })} onClick={onCopy} size="small">
            <ContentCopyIcon />
          </IconButton>
        </Tooltip>
        {onRemove && (
          <Tooltip title={t('support.removeWindow')}>
            <IconButton aria-label={t('support.removeWindowN', { n: index + 1 })} onClick={onRemove} size="small">
              <DeleteOutlineIcon />
            </IconButton>
          </Tooltip>
        )}
      </Box>
      <Controller
        control={control}
        name={`${base}.days`}
        render={({ field, fieldState }) => {
          const toggle = (day: DayOfWeek) => {
            const set = new Set(field.value);
            if (set.has(day)) set.delete(day);
            else set.add(day);
            field.onChange(DAYS.filter((d) => set.has(d)));
          };
          return (
            <FormControl component="fieldset" error={Boolean(fieldState.error)}>
              <FormLabel component="legend" sx={{ mb: 1 }}>
                {t('support.days')}
              </FormLabel>
              <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
                {DAYS.map((day, i) => {
                  const selected = field.value.includes(day);
                  return (
                    <Chip
                      key={day}
                      ref={i === 0 ? (el: HTMLDivElement | null) => field.ref(el) : undefined}
                      label={dayName(day, lang)}
                      aria-label={dayName(day, lang, 'long')}
                      aria-pressed={selected}
                      role="button"
                      clickable
                      color={selected ? 'primary' : 'default'}
                      variant={selected ? 'filled' : 'outlined'}
                      icon={selected ? <CheckIcon /> : undefined}
                      onClick={() => toggle(day)}
                      // A visible focus ring for keyboard users (the default focus shade is too faint on a filled chip).
                      sx={{ '&.Mui-focusVisible': { outline: '3px solid', outlineColor: 'primary.dark', outlineOffset: 2 } }}
                    />
                  );
                })}
              </Box>
              {fieldState.error && <FormHelperText>{errorText(fieldState.error)}</FormHelperText>}
            </FormControl>
          );
        }}
      />
      <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr 1fr', md: '140px 140px 1fr' } }}>
        {(['opens', 'closes'] as const).map((part) => (
          <FormTextField
            key={part}
            control={control}
            name={`${base}.${part}`}
            type="time"
            label={t(part === 'opens' ? 'support.opens' : 'support.closes')}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { step: 300 } }}
          />
        ))}
        <Box sx={{ gridColumn: { xs: '1 / -1', md: 'auto' } }}>
          <Controller
            control={control}
            name={`${base}.timeZone`}
            render={({ field, fieldState }) => (
              <Autocomplete
                options={zones.includes(field.value) || !field.value ? zones : [field.value, ...zones]}
                value={field.value || null}
                onChange={(_, next) => field.onChange(next ?? '')}
                onBlur={field.onBlur}
                autoHighlight
                getOptionLabel={(tz) => timeZoneLabel(tz, lang)}
                filterOptions={(options, state) => {
                  const known = options.map((o) => zoneByName.get(o)).filter((o): o is ZoneOption => Boolean(o));
                  return filterZones(known, state.inputValue).map((o) => o.name);
                }}
                renderOption={(optionProps, tz) => {
                  const { key, ...rest } = optionProps as typeof optionProps & { key: string };
                  const zone = zoneByName.get(tz);
                  return (
                    <Box component="li" key={key} {...rest} sx={{ display: 'block !important' }}>
                      <Box component="span" sx={{ display: 'flex', gap: 1, justifyContent: 'space-between' }}>
                        <span>{tz.replace(/_/g, ' ')}</span>
                        <Box component="span" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                          {zone?.offset}
                        </Box>
                      </Box>
                      {zone?.details && (
                        <Typography variant="caption" component="span" sx={{ display: 'block', color: 'text.secondary' }}>
                          {zone.details}
                        </Typography>
                      )}
                    </Box>
                  );
                }}
                renderInput={(params) => (
                  <TextField
                    {...params}
                    name={field.name}
                    inputRef={field.ref}
                    label={t('support.timeZone')}
                    error={Boolean(fieldState.error)}
                    helperText={errorText(fieldState.error)}
                    slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-field': field.name } }}
                  />
                )}
              />
            )}
          />
        </Box>
      </Box>
    </Box>
  );
}
