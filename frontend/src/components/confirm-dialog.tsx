import { useId } from 'react';
import { Button, DialogContentText } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { AppDialog } from './app-dialog';

type Props = {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel?: string;
  destructive?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

/** A yes/no question asked with the app's dialog. */
export function ConfirmDialog({ open, title, message, confirmLabel, cancelLabel, destructive, busy, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const messageId = useId();
  return (
    <AppDialog
      open={open}
      title={title}
      onClose={onCancel}
      role="alertdialog"
      describedBy={messageId}
      maxWidth="xs"
      actions={
        <>
          <Button onClick={onCancel}>{cancelLabel ?? t('common.cancel')}</Button>
          <Button
            variant="contained"
            color={destructive ? 'error' : 'primary'}
            onClick={onConfirm}
            disabled={busy}
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      <DialogContentText id={messageId}>{message}</DialogContentText>
    </AppDialog>
  );
}
