import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { createMemoryRouter, Route, RouterProvider, Routes } from 'react-router';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import type { Client } from 'urql';
import i18n from '../i18n/i18n';
import { AppProviders } from '../app/app-providers';
import { MeContext, type Me } from '../lib/me-context';

type Options = { client: Client; me?: Me | null; route?: string; path?: string; language?: 'en' | 'it' };

/** Renders with the app's providers, a memory router, the signed-in person and a mocked urql client. */
export async function renderApp(ui: ReactElement, { client, me = null, route = '/', path, language = 'en' }: Options) {
  await i18n.changeLanguage(language);
  // A data router, as in the app (forms block navigation while they hold unsaved edits).
  const router = createMemoryRouter(
    [
      {
        path: '*',
        element: (
          <MeContext.Provider value={me}>
            {path ? (
              <Routes>
                <Route path={path} element={ui} />
              </Routes>
            ) : (
              ui
            )}
            <UnsavedChangesGuard />
          </MeContext.Provider>
        ),
      },
    ],
    { initialEntries: [route] },
  );
  return render(
    <AppProviders client={client}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
}
