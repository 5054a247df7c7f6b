import type { ReactNode } from 'react';
import { Box, Typography } from '@mui/material';

type Props = { title: string; description?: ReactNode; actions?: ReactNode; overline?: string };

export function PageHeader({ title, description, actions, overline }: Props) {
  return (
    <Box
      sx={{ display: 'flex', gap: 2, alignItems: { xs: 'flex-start', sm: 'center' }, flexDirection: { xs: 'column', sm: 'row' }, mb: 3 }}
    >
      <Box sx={{ flex: 1, minWidth: 0 }}>
        {overline && (
          <Typography variant="overline" component="p" sx={{ color: 'text.secondary', lineHeight: 1.6 }}>
            {overline}
          </Typography>
        )}
        <Typography variant="h1">{title}</Typography>
        {description && (
          <Typography variant="body1" sx={{ color: 'text.secondary', mt: 1, maxWidth: 760 }}>
            {description}
          </Typography>
        )}
      </Box>
      {actions && <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>{actions}</Box>}
    </Box>
  );
}
