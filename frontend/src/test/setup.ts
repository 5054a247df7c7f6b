import '../lib/zod-config';
import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';
import i18n from '../i18n/i18n';

// jsdom renders of the MUI form are slow on a loaded 2-core CI machine; the
// default 1 s for findBy/waitFor makes tests flaky there, not stricter.
configure({ asyncUtilTimeout: 10000 });

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  void i18n.changeLanguage('en');
});
