import { useEffect } from 'react';

export const PRODUCT = 'ContactGate';

/** Sets the tab's title to "part · part · ContactGate" (empty parts skipped) while the page is shown. */
export function useDocumentTitle(...parts: (string | undefined | null)[]): void {
  const title = [...parts.filter((p): p is string => Boolean(p)), PRODUCT].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
