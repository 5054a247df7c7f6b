import { Box, CircularProgress, Skeleton } from '@mui/material';
import { useTranslation } from 'react-i18next';

/** A spinner, for full-screen waits before there is any page to sketch (sign-in, invitation). */
export function Loading({ minHeight = 160 }: { minHeight?: number | string }) {
  const { t } = useTranslation();
  return (
    <Box sx={{ display: 'grid', placeItems: 'center', minHeight }} role="status" aria-live="polite">
      <CircularProgress aria-label={t('common.loading')} />
    </Box>
  );
}

/**
 * The shape of a page while its data loads (a heading, then cards of lines), so the layout does not jump
 * when the data arrives. Announced once as "Loading…" to assistive technology.
 */
export function PageSkeleton({ cards = 2, rows = 3 }: { cards?: number; rows?: number }) {
  const { t } = useTranslation();
  return (
    <Box role="status" aria-live="polite" aria-label={t('common.loading')} data-testid="page-skeleton" sx={{ display: 'grid', gap: 2 }}>
      <Skeleton variant="text" sx={{ fontSize: '2rem', maxWidth: 320 }} />
      <Skeleton variant="text" sx={{ maxWidth: 520 }} />
      {Array.from({ length: cards }, (_, card) => (
        <Box key={card} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, display: 'grid', gap: 1 }}>
          <Skeleton variant="text" sx={{ fontSize: '1.25rem', maxWidth: 240 }} />
          {Array.from({ length: rows }, (__, row) => (
            <Skeleton key={row} variant="rounded" height={20} sx={{ maxWidth: row % 2 ? '60%' : '85%' }} />
          ))}
        </Box>
      ))}
    </Box>
  );
}
