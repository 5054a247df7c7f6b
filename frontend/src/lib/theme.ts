import { createTheme, type Theme } from '@mui/material/styles';
import { enUS, itIT } from '@mui/material/locale';

// Colours are chosen for WCAG AA contrast with white text (and on white).
export function makeTheme(language: string): Theme {
  return createTheme(
    {
      palette: {
        primary: { main: '#1967d2', dark: '#174ea6', light: '#e8f0fe', contrastText: '#ffffff' },
        secondary: { main: '#5f6368' },
        success: { main: '#137333', contrastText: '#ffffff' },
        warning: { main: '#a04a00', contrastText: '#ffffff' },
        error: { main: '#c5221f', contrastText: '#ffffff' },
        info: { main: '#0b57d0', contrastText: '#ffffff' },
        background: { default: '#f6f8fc', paper: '#ffffff' },
        text: { primary: '#202124', secondary: '#5f6368' },
        divider: '#dadce0',
      },
      shape: { borderRadius: 8 },
      typography: {
        fontFamily: 'Roboto, "Helvetica Neue", Arial, sans-serif',
        h1: { fontSize: '1.75rem', fontWeight: 400 },
        h2: { fontSize: '1.375rem', fontWeight: 400 },
        h3: { fontSize: '1.125rem', fontWeight: 500 },
        h4: { fontSize: '1rem', fontWeight: 500 },
        button: { textTransform: 'none', fontWeight: 500 },
      },
      components: {
        MuiAppBar: {
          defaultProps: { elevation: 0, color: 'inherit' },
          styleOverrides: { root: { backgroundColor: '#ffffff', borderBottom: '1px solid #dadce0' } },
        },
        MuiCard: { defaultProps: { variant: 'outlined' } },
        MuiButton: { defaultProps: { disableElevation: true } },
        MuiTextField: { defaultProps: { size: 'small', fullWidth: true } },
        MuiSelect: { defaultProps: { size: 'small' } },
        MuiChip: { styleOverrides: { root: { fontWeight: 500 } } },
        MuiTableCell: { styleOverrides: { head: { fontWeight: 500, color: '#5f6368' } } },
        MuiLink: { defaultProps: { underline: 'hover' } },
        MuiListItemButton: {
          styleOverrides: {
            root: {
              borderRadius: '0 24px 24px 0',
              '&.Mui-selected': { backgroundColor: '#e8f0fe', color: '#174ea6' },
              '&.Mui-selected .MuiListItemIcon-root': { color: '#174ea6' },
            },
          },
        },
      },
    },
    language.startsWith('it') ? itIT : enUS,
  );
}
