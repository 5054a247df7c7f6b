import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Box, Button, Typography } from '@mui/material';
import RefreshIcon from '@mui/icons-material/Refresh';
import type { CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { errorCode } from '../lib/errors';
import { ErrorAlert } from './error-alert';

type Props = { error?: CombinedError; onRetry: () => void };

/**
 * A page that could not be shown, inside the app frame (navigation, account and language stay usable):
 * what went wrong and a "Try again" that loads it again. Not offered when trying again cannot help
 * (the thing does not exist or may not be seen).
 */
export function ErrorPage({ error, onRetry }: Props) {
  const { t } = useTranslation();
  const code = errorCode(error);
  const retryable = code !== 'NOT_FOUND' && code !== 'FORBIDDEN';
  return (
    <Box component="section" aria-labelledby="error-page-title" sx={{ maxWidth: 640, display: 'grid', gap: 2, py: 2 }}>
      <Typography id="error-page-title" variant="h1" component="h1" tabIndex={-1}>
        {t('errorPage.title')}
      </Typography>
      {error ? <ErrorAlert error={error} /> : <Alert severity="error">{t('errorPage.crashed')}</Alert>}
      {retryable && (
        <Box>
          <Button variant="contained" startIcon={<RefreshIcon />} onClick={onRetry}>
            {t('errorPage.retry')}
          </Button>
        </Box>
      )}
    </Box>
  );
}

type BoundaryProps = { children: ReactNode; resetKey: string };
type BoundaryState = { failed: boolean; resetKey: string };

/**
 * Catches a page that fails while rendering so the shell around it stays: the page is replaced by the
 * error page, whose "Try again" renders it afresh; moving to another page (resetKey) clears it too.
 */
export class PageErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  state: BoundaryState = { failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError(): Partial<BoundaryState> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    return props.resetKey !== state.resetKey ? { failed: false, resetKey: props.resetKey } : null;
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    // The console is where a developer looks; the user sees the translated error page.
    console.error('page failed to render', error, info.componentStack);
  }

  render() {
    if (this.state.failed) return <ErrorPage onRetry={() => this.setState({ failed: false })} />;
    return this.props.children;
  }
}
