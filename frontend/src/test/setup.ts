import '../app/zod-config';
import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import i18n from '../i18n/i18n';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  void i18n.changeLanguage('en');
});
