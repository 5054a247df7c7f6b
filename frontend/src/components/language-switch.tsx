import { useContext, useState } from 'react';
import { Button, IconButton, ListItemIcon, ListItemText, Menu, MenuItem, Tooltip } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import TranslateIcon from '@mui/icons-material/Translate';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { LANGUAGES } from '../i18n/i18n';
import { MeContext } from '../lib/me-context';
import { recordLanguage } from '../lib/record-language';

/**
 * Switches between English and Italian; the choice is remembered in localStorage and, for a
 * signed-in person, by the server (the language of their mails).
 */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const signedIn = useContext(MeContext) !== null;
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const current = LANGUAGES.find((l) => l.code === i18n.resolvedLanguage) ?? LANGUAGES[0];
  const label = t('language.label', { language: current.name });
  return (
    <>
      {compact ? (
        <Tooltip title={label}>
          <IconButton
            aria-label={label}
            aria-haspopup="menu"
            aria-expanded={anchor ? 'true' : undefined}
            onClick={(e) => setAnchor(e.currentTarget)}
          >
            <TranslateIcon />
          </IconButton>
        </Tooltip>
      ) : (
        <Button
          color="inherit"
          startIcon={<TranslateIcon />}
          aria-label={label}
          aria-haspopup="menu"
          aria-expanded={anchor ? 'true' : undefined}
          onClick={(e) => setAnchor(e.currentTarget)}
        >
          {current.code.toUpperCase()}
        </Button>
      )}
      <Menu anchorEl={anchor} open={Boolean(anchor)} onClose={() => setAnchor(null)}>
        {LANGUAGES.map((l) => (
          <MenuItem
            key={l.code}
            lang={l.code}
            selected={l.code === current.code}
            onClick={() => {
              if (l.code !== current.code) {
                void i18n.changeLanguage(l.code);
                if (signedIn) recordLanguage(client, l.code);
              }
              setAnchor(null);
            }}
          >
            <ListItemIcon>{l.code === current.code && <CheckIcon fontSize="small" />}</ListItemIcon>
            <ListItemText>{l.name}</ListItemText>
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
