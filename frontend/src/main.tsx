import './lib/zod-config';
import '@fontsource/roboto/latin-300.css';
import '@fontsource/roboto/latin-400.css';
import '@fontsource/roboto/latin-500.css';
import '@fontsource/roboto/latin-700.css';
import './i18n/i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppProviders } from './app/app-providers';
import { AppRoutes } from './app/app-routes';
import { UnsavedChangesGuard } from './components/unsaved-changes';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// A data router, so that unsaved edits can block a navigation (useBlocker); the routes stay declarative.
const router = createBrowserRouter([
  {
    path: '*',
    element: (
      <>
        <AppRoutes />
        <UnsavedChangesGuard />
      </>
    ),
  },
]);

createRoot(root).render(
  <StrictMode>
    <AppProviders>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
