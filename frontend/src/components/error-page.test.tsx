import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { CombinedError } from 'urql';
import type { ReactNode } from 'react';
import i18n from '../i18n/i18n';
import { ErrorPage, PageErrorBoundary } from './error-page';
import { PageSkeleton } from './loading';

const wrapper = ({ children }: { children: ReactNode }) => <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;

describe('error page and loading states', () => {
  it('offers Try again for a failed load, in Italian, and calls the retry', async () => {
    await i18n.changeLanguage('it');
    const retry = vi.fn<() => void>();
    const network = new CombinedError({ networkError: new Error('Failed to fetch') });
    render(<ErrorPage error={network} onRetry={retry} />, { wrapper });
    expect(screen.getByRole('heading', { name: 'Non è stato possibile caricare questa pagina' })).toBeInTheDocument();
    expect(screen.queryByText(/Failed to fetch/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Riprova' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('does not offer Try again when the thing does not exist', async () => {
    await i18n.changeLanguage('en');
    const notFound = new CombinedError({ graphQLErrors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] });
    render(<ErrorPage error={notFound} onRetry={() => {}} />, { wrapper });
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('keeps what surrounds a page that fails to render, and Try again renders it afresh', async () => {
    await i18n.changeLanguage('en');
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    let fail = true;
    function Flaky() {
      if (fail) throw new Error('boom');
      return <p>page content</p>;
    }
    render(
      <div>
        <nav>shell navigation</nav>
        <PageErrorBoundary resetKey="/a">
          <Flaky />
        </PageErrorBoundary>
      </div>,
      { wrapper },
    );
    expect(screen.getByText('shell navigation')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'This page could not be loaded' })).toBeInTheDocument();
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('page content')).toBeInTheDocument();
    quiet.mockRestore();
  });

  it('sketches the page while loading, announced as loading', async () => {
    await i18n.changeLanguage('it');
    render(<PageSkeleton />, { wrapper });
    expect(screen.getByRole('status', { name: 'Caricamento…' })).toBeInTheDocument();
  });
});
