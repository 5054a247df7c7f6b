import { useId, type ReactNode } from 'react';
import {
  Box,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  Typography,
  useMediaQuery,
  useTheme,
} from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import { useTranslation } from 'react-i18next';

export type AppDialogProps = {
  open: boolean;
  title: ReactNode;
  subtitle?: ReactNode;
  /**
   * Given: Escape, a backdrop click and the close button call it.
   * Omitted: the dialog cannot be dismissed at all (no close button; Escape and backdrop do nothing).
   */
  onClose?: () => void;
  /** Shown in the top-right corner of the title bar. */
  headerActions?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  maxWidth?: 'xs' | 'sm' | 'md' | 'lg';
  /** Full screen on phones (below the sm breakpoint). */
  fullScreenOnPhone?: boolean;
  role?: 'dialog' | 'alertdialog';
  /** id of the element describing the dialog. */
  describedBy?: string;
  contentSx?: object;
  testId?: string;
  /**
   * Keep the dialog's full height whatever its content, so switching tabs inside it does not make it
   * jump (dialogs that are not full screen only).
   */
  fixedHeight?: boolean;
  /**
   * Where keyboard focus goes once the dialog has closed, instead of the element focused before it opened
   * (for a dialog that opened by itself, that is the page's body).
   */
  focusOnClose?: () => HTMLElement | null;
};

/** The app's one dialog: labelled, focus-trapped, optionally impossible to dismiss. */
export function AppDialog({
  open,
  title,
  subtitle,
  onClose,
  headerActions,
  children,
  actions,
  maxWidth = 'sm',
  fullScreenOnPhone = false,
  role = 'dialog',
  describedBy,
  contentSx,
  testId,
  fixedHeight = false,
  focusOnClose,
}: AppDialogProps) {
  const { t } = useTranslation();
  const theme = useTheme();
  const phone = useMediaQuery(theme.breakpoints.down('sm'));
  const titleId = useId();
  const dismissible = onClose !== undefined;

  return (
    <Dialog
      open={open}
      onClose={() => {
        // Escape and backdrop clicks close only dismissible dialogs.
        if (dismissible) onClose();
      }}
      maxWidth={maxWidth}
      fullWidth
      fullScreen={fullScreenOnPhone && phone}
      role={role}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      data-testid={testId}
      disableRestoreFocus={focusOnClose !== undefined}
      slotProps={{
        paper: { elevation: 8, sx: fixedHeight ? { height: 'calc(100% - 64px)' } : undefined },
        transition: focusOnClose
          ? {
              onExited: () => {
                const target = focusOnClose();
                if (!target) return;
                if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
                target.focus();
              },
            }
          : undefined,
      }}
    >
      <DialogTitle
        component="div"
        id={`${titleId}-bar`}
        sx={{
          display: 'flex',
          alignItems: 'flex-start',
          flexWrap: { xs: 'wrap', sm: 'nowrap' },
          gap: 1,
          pr: dismissible ? 1 : 3,
          pb: 1,
          px: { xs: 2, sm: 3 },
        }}
      >
        <Box sx={{ flex: 1, minWidth: 0, order: { xs: headerActions ? 2 : 0, sm: 0 }, flexBasis: { xs: headerActions ? '100%' : 'auto', sm: 'auto' } }}>
          <Typography id={titleId} variant="h2" component="h2">
            {title}
          </Typography>
          {subtitle && (
            <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5 }}>
              {subtitle}
            </Typography>
          )}
        </Box>
        {headerActions && (
          <Box
            sx={{
              display: 'flex',
              alignItems: 'center',
              gap: 1,
              flexWrap: 'wrap',
              justifyContent: 'flex-end',
              order: { xs: 1, sm: 0 },
              width: { xs: '100%', sm: 'auto' },
              mt: { xs: -1, sm: 0 },
              mr: { xs: -1, sm: 0 },
            }}
          >
            {headerActions}
          </Box>
        )}
        {dismissible && (
          <IconButton aria-label={t('common.close')} onClick={onClose} edge="end" size="small">
            <CloseIcon />
          </IconButton>
        )}
      </DialogTitle>
      <DialogContent dividers sx={{ px: { xs: 2, sm: 3 }, ...contentSx }}>
        {children}
      </DialogContent>
      {actions && <DialogActions sx={{ px: { xs: 2, sm: 3 }, py: 1.5, gap: 1, flexWrap: 'wrap' }}>{actions}</DialogActions>}
    </Dialog>
  );
}
