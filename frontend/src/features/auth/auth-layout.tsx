import type { ReactNode } from 'react';
import { Box, Card, CardContent, Typography } from '@mui/material';
import { Brand } from '../../components/brand';
import { LanguageSwitch } from '../../components/language-switch';

/** A centred card for the pages used before sign-in. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'background.default', display: 'flex', flexDirection: 'column' }}>
      <Box component="header" sx={{ display: 'flex', alignItems: 'center', px: { xs: 2, sm: 3 }, py: 1.5 }}>
        <Brand />
        <Box sx={{ flex: 1 }} />
        <LanguageSwitch />
      </Box>
      <Box component="main" sx={{ flex: 1, display: 'grid', placeItems: { xs: 'start center', sm: 'center' }, px: 2, pb: 6, pt: { xs: 2, sm: 0 } }}>
        <Card sx={{ width: '100%', maxWidth: 440, borderRadius: 3 }}>
          <CardContent sx={{ p: { xs: 3, sm: 5 } }}>
            <Typography variant="h1" sx={{ mb: 1, textAlign: 'center' }}>
              {title}
            </Typography>
            {subtitle && (
              <Typography variant="body1" component="div" sx={{ color: 'text.secondary', mb: 3, textAlign: 'center' }}>
                {subtitle}
              </Typography>
            )}
            {children}
          </CardContent>
        </Card>
      </Box>
    </Box>
  );
}
