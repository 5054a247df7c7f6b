import { Box, Chip, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { getFragmentData, type FragmentType } from '../../gql/fragment-masking';
import { formatDays, formatLocalTime } from '../../lib/format';
import { browserTimeZone } from './time-zones';
import { changeWhen, viewerHours } from './zone-times';

/** Support hours as the summary shows them (and the form edits them), with whether they are open now. */
export const SupportHoursFieldsDoc = graphql(`
  fragment SupportHoursFields on SupportHours {
    alwaysOpen
    windows {
      days
      opens
      closes
      timeZone
    }
    openNow
    nextChange
  }
`);

type Props = { hours: FragmentType<typeof SupportHoursFieldsDoc> | null | undefined; showStatus?: boolean };

/** Support hours as text, with an "open now" badge when the server computed it. */
export function SupportHoursSummary({ hours: ref, showStatus = true }: Props) {
  const { t, i18n } = useTranslation();
  const hours = getFragmentData(SupportHoursFieldsDoc, ref);
  const lang = i18n.resolvedLanguage ?? 'en';
  const viewer = browserTimeZone();
  if (!hours) {
    return (
      <Typography variant="body2" sx={{ fontStyle: 'italic', color: 'text.secondary' }}>
        {t('support.notGiven')}
      </Typography>
    );
  }
  return (
    <Box sx={{ display: 'grid', gap: 1 }}>
      {showStatus && typeof hours.openNow === 'boolean' && (
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <Chip
            size="small"
            color={hours.openNow ? 'success' : 'default'}
            variant={hours.openNow ? 'filled' : 'outlined'}
            label={hours.openNow ? t('support.openNow') : t('support.closedNow')}
          />
          {hours.nextChange && (
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              {(() => {
                const when = changeWhen(hours.nextChange, hours.windows, viewer, lang);
                const place = t('support.placeTime', { time: when.there, place: when.place });
                const yours = when.yours ? ` ${t('support.yourTime', { time: when.yours })}` : '';
                return `${t(hours.openNow ? 'support.closesAt' : 'support.opensAt', { time: place })}${yours}, ${when.relative}`;
              })()}
            </Typography>
          )}
        </Box>
      )}
      {hours.alwaysOpen ? (
        <Typography variant="body2">{t('support.alwaysOpenLong')}</Typography>
      ) : (
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {hours.windows.map((w, i) => {
            const yours = viewerHours(w, viewer);
            return (
              <Typography component="li" variant="body2" key={i}>
                {t('support.windowText', {
                  days: formatDays(w.days, lang),
                  opens: formatLocalTime(w.opens, lang),
                  closes: formatLocalTime(w.closes, lang),
                  timeZone: w.timeZone.replace(/_/g, ' '),
                })}
                {yours &&
                  ` ${t('support.yourTime', { time: `${formatLocalTime(yours.opens, lang)}–${formatLocalTime(yours.closes, lang)}` })}`}
              </Typography>
            );
          })}
        </Box>
      )}
    </Box>
  );
}
