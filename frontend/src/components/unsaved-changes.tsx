import { useEffect, useId, useSyncExternalStore } from 'react';
import { useBlocker, type Location } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from './confirm-dialog';

/**
 * Which mounted forms hold unsaved edits. One store and one blocker for the whole app: react-router
 * supports a single blocker at a time, and the gate modal and the page behind it may both hold a form.
 */
const dirtyForms = new Set<string>();
const listeners = new Set<() => void>();

function setDirty(id: string, dirty: boolean) {
  const had = dirtyForms.has(id);
  if (dirty === had) return;
  if (dirty) dirtyForms.add(id);
  else dirtyForms.delete(id);
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasUnsavedChanges(): boolean {
  return dirtyForms.size > 0;
}

/** A form reports whether it holds unsaved edits (and stops when it unmounts). */
export function useReportUnsaved(dirty: boolean) {
  const id = useId();
  useEffect(() => {
    setDirty(id, dirty);
  }, [id, dirty]);
  useEffect(() => () => setDirty(id, false), [id]);
}

/** Navigation state for a move that keeps the form mounted with its edits (e.g. the modal's own switch). */
export const KEEPS_EDITS = { keepsEdits: true } as const;

function keepsEdits(location: Location): boolean {
  const state = location.state as { keepsEdits?: boolean } | null;
  return Boolean(state?.keepsEdits);
}

/**
 * Asks before leaving a page, switching Sandbox/Production or account, or closing the tab while a form
 * holds unsaved edits. Mounted once, under the data router.
 */
export function UnsavedChangesGuard() {
  const { t } = useTranslation();
  const dirty = useSyncExternalStore(subscribe, hasUnsavedChanges);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      hasUnsavedChanges() &&
      !keepsEdits(nextLocation) &&
      (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  return (
    <ConfirmDialog
      open={blocker.state === 'blocked'}
      title={t('unsaved.title')}
      message={t('unsaved.message')}
      confirmLabel={t('unsaved.leave')}
      cancelLabel={t('unsaved.stay')}
      destructive
      onConfirm={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    />
  );
}
