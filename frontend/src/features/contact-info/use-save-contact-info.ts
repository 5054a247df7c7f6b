import { useEffect, useRef, useState } from 'react';
import { useForm, type FieldPath } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useClient, useMutation, type CombinedError } from 'urql';
import { graphql } from '../../gql/gql';
import { getFragmentData } from '../../gql/fragment-masking';
import type { ContactField, ContactInfoFieldsFragment, Environment, UpdateContactInfoMutation } from '../../gql/graphql';
import { errorCode, fieldProblems, type FieldProblem } from '../../lib/errors';
import { setServerFieldErrors } from '../../lib/server-field-errors';
import { AccessGateFieldsDoc } from '../../components/gate-chip';
import { ContactInfoFieldsDoc } from './contact-info-fields';
import { buildInput, changedKeys, contactFormSchema, toFormValues, type ContactFormValues, type IndexMaps } from './form-model';
import { toFormPath } from './server-errors';

export const UpdateContactInfoDocument = graphql(`
  mutation UpdateContactInfo($input: UpdateContactInfoInput!, $environment: Environment!) {
    updateContactInfo(input: $input) {
      account {
        id
        accessGate(environment: $environment) {
          ...AccessGateFields
        }
        contactInfo {
          ...ContactInfoFields
        }
      }
    }
  }
`);

export const ContactInfoLatestDocument = graphql(`
  query ContactInfoLatest($accountId: ID!) {
    account(id: $accountId) {
      id
      contactInfo {
        ...ContactInfoFields
      }
    }
  }
`);

export type SavedAccount = UpdateContactInfoMutation['updateContactInfo']['account'];

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'noChanges' }
  | { kind: 'saved'; missing: readonly ContactField[] }
  | { kind: 'invalid'; count: number }
  | { kind: 'rejected'; unknown: FieldProblem[] }
  | { kind: 'failed'; error: CombinedError };

/** Someone else saved first: their version, what this user typed, and what that was typed over. */
export type Conflict = { latest: ContactInfoFieldsFragment; mine: ContactFormValues; base: ContactFormValues };

type Options = {
  accountId: string;
  environment: Environment;
  info: ContactInfoFieldsFragment;
  editable: boolean;
  onSaved?: (account: SavedAccount) => void;
};

/**
 * The contact info form's state and its saving: the react-hook-form instance (`form`) starts from
 * `base`, what was loaded. Saving sends only what changed since `base` (what was loaded) with the
 * version it was loaded at (expectedVersion), puts the server's field problems on the inputs that
 * show them, and on CONFLICT loads the newest version for the conflict dialog. Follows a newer
 * server version while the user has no edits.
 */
export function useSaveContactInfo({ accountId, environment, info, editable, onSaved }: Options) {
  const client = useClient();
  const [{ fetching: saving }, updateContactInfo] = useMutation(UpdateContactInfoDocument);
  const [base, setBase] = useState<ContactFormValues>(() => toFormValues(info, editable));
  const form = useForm<ContactFormValues>({
    defaultValues: base,
    resolver: zodResolver(contactFormSchema),
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { reset, setError, getValues } = form;
  const [version, setVersion] = useState(info.version);
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [reapplying, setReapplying] = useState(false);
  /** The status region, focused when the server rejected something no input shows. */
  const statusRef = useRef<HTMLDivElement>(null);

  // Someone saved elsewhere (or the page refetched): follow the server while the user has no edits.
  useEffect(() => {
    if (info.version > version && !conflict && changedKeys(getValues(), base).length === 0) {
      const next = toFormValues(info, editable);
      // oxlint-disable-next-line react/set-state-in-effect -- syncing with a newer server version
      setBase(next);
      setVersion(info.version);
      reset(next);
    }
  }, [info, version, base, conflict, editable, reset, getValues]);

  const adopt = (next: ContactFormValues, nextVersion: number) => {
    setBase(next);
    setVersion(nextVersion);
    reset(next);
  };

  async function save(current: ContactFormValues, from: ContactFormValues, expectedVersion: number): Promise<boolean> {
    const { input, indexMaps, changed } = buildInput(current, from, {
      accountId,
      environment,
      expectedVersion,
      merchantRequirement: info.merchantIssuesRequirement,
    });
    if (!changed) {
      setStatus({ kind: 'noChanges' });
      return true;
    }
    const result = await updateContactInfo({ input, environment });
    if (result.error) {
      handleError(result.error, current, from, indexMaps);
      return false;
    }
    const account = result.data?.updateContactInfo.account;
    if (!account) return false;
    const saved = getFragmentData(ContactInfoFieldsDoc, account.contactInfo);
    adopt(toFormValues(saved, editable), saved.version);
    setStatus({ kind: 'saved', missing: getFragmentData(AccessGateFieldsDoc, account.accessGate).missing });
    onSaved?.(account);
    return true;
  }

  function handleError(error: CombinedError, current: ContactFormValues, from: ContactFormValues, indexMaps: IndexMaps) {
    const code = errorCode(error);
    if (code === 'VALIDATION_FAILED') {
      const toField = (path: string) => (toFormPath(path, indexMaps) ?? undefined) as FieldPath<ContactFormValues> | undefined;
      const unknown = setServerFieldErrors(error, setError, toField) ?? [];
      setStatus({ kind: 'rejected', unknown });
      // No input took a problem, so none has the focus: the status region says what went wrong.
      if (unknown.length === fieldProblems(error).length) statusRef.current?.focus();
      return;
    }
    if (code === 'CONFLICT') {
      void client
        .query(ContactInfoLatestDocument, { accountId }, { requestPolicy: 'network-only' })
        .toPromise()
        .then((latest) => {
          const latestInfo = latest.data?.account?.contactInfo;
          if (latestInfo) setConflict({ latest: getFragmentData(ContactInfoFieldsDoc, latestInfo), mine: current, base: from });
          else setStatus({ kind: 'failed', error });
        });
      return;
    }
    setStatus({ kind: 'failed', error });
  }

  return {
    form,
    base,
    version,
    saving,
    status,
    statusRef,
    conflict,
    reapplying,
    onValid: async (current: ContactFormValues) => {
      setStatus({ kind: 'idle' });
      await save(current, base, version);
    },
    onInvalid: (errors: object) => setStatus({ kind: 'invalid', count: countErrors(errors) }),
    discard: () => reset(base),
    /** The conflict dialog's "keep theirs": the form shows the newest version. */
    keepTheirs: (theirs: ContactFormValues) => {
      if (!conflict) return;
      adopt(theirs, conflict.latest.version);
      setConflict(null);
      setStatus({ kind: 'idle' });
    },
    /** The conflict dialog's "apply mine again": this user's changes on top of the newest version. */
    reapply: () => {
      if (!conflict) return;
      setReapplying(true);
      void save(conflict.mine, conflict.base, conflict.latest.version).finally(() => {
        setReapplying(false);
        setConflict(null);
      });
    },
  };
}

function countErrors(errors: object): number {
  let n = 0;
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if ('message' in node && typeof (node as { message?: unknown }).message === 'string') {
      n++;
      return;
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(errors);
  return n;
}
