import { Box, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router';

/** The product mark and name, linking home. */
export function Brand({ hideNameOnPhone = false }: { hideNameOnPhone?: boolean }) {
  return (
    <Box
      component={RouterLink}
      to="/"
      sx={{ display: 'flex', alignItems: 'center', gap: 1, color: 'text.primary', textDecoration: 'none', borderRadius: 1 }}
      aria-label="ContactGate"
    >
      <Box component="img" src="/favicon.svg" alt="" sx={{ width: 32, height: 32 }} />
      <Typography
        component="span"
        sx={{ fontSize: 20, fontWeight: 400, letterSpacing: 0.2, display: hideNameOnPhone ? { xs: 'none', sm: 'inline' } : 'inline' }}
      >
        Contact<Box component="span" sx={{ fontWeight: 500, color: 'primary.main' }}>Gate</Box>
      </Typography>
    </Box>
  );
}
