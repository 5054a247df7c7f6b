import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, AlertTitle, Box, Button, Chip, CircularProgress, Link, Typography } from '@mui/material';
import { FormProvider, useForm, useWatch, type FieldPath } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useClient, useMutation, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import type {
  ContactField,
  ContactInfoFieldsFragment,
  Environment,
  Role,
  UpdateContactInfoMutation,
} from '../../gql/graphql';
import { errorCode, fieldProblemError, fieldProblemKey, fieldProblems, showsServerText, type FieldProblem } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { ErrorAlert } from '../../components/error-alert';
import { KEEPS_EDITS, useReportUnsaved } from '../../components/unsaved-changes';
import { useSearchParams } from 'react-router';
import { AlertContactsField, type MemberOption } from './alert-contacts-field';
import { ConflictDialog } from './conflict-dialog';
import { ContactListField } from './contact-list-field';
import { ContactRow } from './contact-row';
import { FieldSection } from './field-section';
import { FIELD_ORDER, fieldNeed, sectionId } from './field-meta';
import { buildInput, changedKeys, contactFormSchema, toFormValues, type ContactFormValues, type IndexMaps } from './form-model';
import { toFormPath } from './server-errors';
import { SupportHoursField } from './support-hours-field';
import { SupportHoursSummary } from './support-hours-summary';

export const UpdateContactInfoDocument = graphql(`
  mutation UpdateContactInfo($input: UpdateContactInfoInput!, $environment: Environment!) {
    updateContactInfo(input: $input) {
      account {
        id
        accessGate(environment: $environment) {
          environment
          locked
          missing
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

export type ContactInfoFormProps = {
  accountId: string;
  environment: Environment;
  info: ContactInfoFieldsFragment;
  members: ReadonlyArray<{ role: Role; user: MemberOption }>;
  missing: readonly ContactField[];
  readOnly: boolean;
  /** Why the form is read-only: a READ_ONLY member, or platform staff. */
  readOnlyReason?: 'member' | 'staff';
  variant: 'modal' | 'page';
  onSaved?: (account: SavedAccount) => void;
};

type Status =
  | { kind: 'idle' }
  | { kind: 'noChanges' }
  | { kind: 'saved'; missing: readonly ContactField[] }
  | { kind: 'invalid'; count: number }
  | { kind: 'rejected'; unknown: FieldProblem[] }
  | { kind: 'failed'; error: CombinedError };

type Conflict = { latest: ContactInfoFieldsFragment; mine: ContactFormValues; base: ContactFormValues };

/** The seven contact fields as one form: used by the blocking modal and by Configuration › Contact info. */
export function ContactInfoForm(props: ContactInfoFormProps) {
  const { accountId, environment, info, members, missing, readOnly, readOnlyReason, variant, onSaved } = props;
  const { t, i18n } = useTranslation();
  const problemText = (p: FieldProblem) => {
    const key = fieldProblemKey(p);
    if (key) return t(key as never) as string;
    return showsServerText(i18n.resolvedLanguage) ? p.message : t('serverErrors.INVALID');
  };
  const client = useClient();
  const [{ fetching: saving }, updateContactInfo] = useMutation(UpdateContactInfoDocument);
  const editable = !readOnly;
  const [base, setBase] = useState<ContactFormValues>(() => toFormValues(info, editable));
  const [version, setVersion] = useState(info.version);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [reapplying, setReapplying] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);

  const methods = useForm<ContactFormValues>({
    defaultValues: base,
    resolver: zodResolver(contactFormSchema),
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { handleSubmit, reset, setError, getValues } = methods;

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

  const memberOptions = useMemo(() => {
    const map = new Map<string, MemberOption>();
    for (const m of members) map.set(m.user.id, m.user);
    for (const u of info.alertContacts) if (!map.has(u.id)) map.set(u.id, u);
    return [...map.values()];
  }, [members, info.alertContacts]);

  const administrators = members.filter((m) => m.role === 'ADMINISTRATOR').map((m) => m.user);
  const lastSaved =
    info.updatedAt && info.version === version
      ? t('contactInfo.lastSaved', {
          when: formatDateTime(info.updatedAt, i18n.resolvedLanguage ?? 'en'),
          who: info.updatedBy ? info.updatedBy.name || info.updatedBy.email : t('contactInfo.someoneElse'),
        })
      : version === 0
        ? t('contactInfo.neverSaved')
        : '';

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
    const next = toFormValues(account.contactInfo, editable);
    setBase(next);
    setVersion(account.contactInfo.version);
    reset(next);
    setStatus({ kind: 'saved', missing: account.accessGate.missing });
    onSaved?.(account);
    return true;
  }

  function handleError(error: CombinedError, current: ContactFormValues, from: ContactFormValues, indexMaps: IndexMaps) {
    const code = errorCode(error);
    if (code === 'VALIDATION_FAILED') {
      const unknown: FieldProblem[] = [];
      let focused = false;
      for (const problem of fieldProblems(error)) {
        const path = toFormPath(problem.field, indexMaps);
        if (!path) {
          unknown.push(problem);
          continue;
        }
        setError(path as FieldPath<ContactFormValues>, fieldProblemError(problem), { shouldFocus: !focused });
        focused = true;
      }
      setStatus({ kind: 'rejected', unknown });
      if (!focused) statusRef.current?.focus();
      return;
    }
    if (code === 'CONFLICT') {
      void client
        .query(ContactInfoLatestDocument, { accountId }, { requestPolicy: 'network-only' })
        .toPromise()
        .then((latest) => {
          const latestInfo = latest.data?.account?.contactInfo;
          if (latestInfo) setConflict({ latest: latestInfo, mine: current, base: from });
          else setStatus({ kind: 'failed', error });
        });
      return;
    }
    setStatus({ kind: 'failed', error });
  }

  const onValid = async (current: ContactFormValues) => {
    setStatus({ kind: 'idle' });
    await save(current, base, version);
  };
  const onInvalid = (errors: object) => setStatus({ kind: 'invalid', count: countErrors(errors) });

  const theirs = conflict ? toFormValues(conflict.latest, editable) : null;

  // The form stays mounted across the switch (it is keyed by account), so what was typed is kept and
  // saving in Production completes both environments at once.
  const [params, setParams] = useSearchParams();
  const switchToProduction = () => {
    const next = new URLSearchParams(params);
    next.set('env', 'production');
    setParams(next, { state: KEEPS_EDITS });
  };

  const fieldVisible = (field: ContactField) => fieldNeed(field, environment, info.merchantIssuesRequirement) !== 'hidden';

  return (
    <FormProvider {...methods}>
      <Box
        component="form"
        id={`contact-info-form-${variant}`}
        noValidate
        onSubmit={(e) => void handleSubmit(onValid, onInvalid)(e)}
        onKeyDown={(e) => {
          // Enter in a text or time field (e.g. after typing a time) must not save a half-done form.
          if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type !== 'submit') e.preventDefault();
        }}
        aria-label={t('contactInfo.formLabel')}
      >
        {readOnly && (
          <Alert severity="info" sx={{ mb: 2 }}>
            <AlertTitle>{t(readOnlyReason === 'staff' ? 'contactInfo.staffReadOnlyTitle' : 'contactInfo.readOnlyTitle')}</AlertTitle>
            {readOnlyReason === 'staff' ? (
              t('contactInfo.staffReadOnly')
            ) : (
              <>
                {t('contactInfo.readOnlyAsk')}
                {administrators.length > 0 && (
                  <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5 }} aria-label={t('contactInfo.administrators')}>
                    {administrators.map((a) => (
                      <li key={a.id}>
                        {a.name ? `${a.name} — ` : ''}
                        <Link href={`mailto:${a.email}`}>{a.email}</Link>
                      </li>
                    ))}
                  </Box>
                )}
                {variant === 'modal' && <Box sx={{ mt: 0.5 }}>{t('contactInfo.readOnlyUsersTab')}</Box>}
              </>
            )}
          </Alert>
        )}

        {missing.length > 0 && (
          <Alert severity="warning" sx={{ mb: 1 }} icon={false}>
            <Typography variant="body2" component="p" sx={{ fontWeight: 500, mb: 0.75 }}>
              {t('contactInfo.stillMissing', { count: missing.length })}
            </Typography>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }}>
              {missing.map((field) => (
                <Chip
                  key={field}
                  size="small"
                  variant="outlined"
                  component="a"
                  href={`#${sectionId(field)}`}
                  clickable
                  label={t(`fields.${field}.label`)}
                />
              ))}
            </Box>
          </Alert>
        )}

        {FIELD_ORDER.filter(fieldVisible).map((field) => {
          const need = fieldNeed(field, environment, info.merchantIssuesRequirement);
          const help = `${sectionId(field)}-help`;
          const label = t(`fields.${field}.label`);
          const isMissing = missing.includes(field);
          let body: React.ReactNode;
          switch (field) {
            case 'ALERT_CONTACTS':
              body =
                environment === 'PRODUCTION' ? (
                  <AlertContactsField options={memberOptions} readOnly={readOnly} describedBy={help} label={label} />
                ) : (
                  <Alert severity="info" variant="outlined">
                    {t(readOnly ? 'contactInfo.alertContactsSandbox' : 'contactInfo.alertContactsSandboxSwitch')}
                    {!readOnly && (
                      <Box sx={{ mt: 1 }}>
                        <Button variant="outlined" size="small" onClick={switchToProduction}>
                          {t('contactInfo.switchToProduction')}
                        </Button>
                      </Box>
                    )}
                  </Alert>
                );
              break;
            case 'TECHNICAL_EMERGENCY':
              body = (
                <ContactListField
                  name="technicalEmergency"
                  label={label}
                  readOnly={readOnly}
                  describedBy={help}
                  emailHint={t('fields.TECHNICAL_EMERGENCY.hint')}
                />
              );
              break;
            case 'TECHNICAL_NON_EMERGENCY':
              body = <ContactListField name="technicalNonEmergency" label={label} readOnly={readOnly} describedBy={help} />;
              break;
            case 'MERCHANT_ISSUES':
              body = <ContactListField name="merchantIssues" label={label} readOnly={readOnly} describedBy={help} />;
              break;
            case 'OPERATIONAL_FOR_GOOGLE':
              body = <ContactListField name="operationalForGoogle" label={label} readOnly={readOnly} describedBy={help} />;
              break;
            case 'OPERATIONAL_FOR_USERS':
              body = (
                <ContactRow
                  prefix="operationalForUsers"
                  readOnly={readOnly}
                  groupLabel={label}
                  describedBy={help}
                  emailHint={readOnly ? undefined : t('fields.OPERATIONAL_FOR_USERS.hint')}
                />
              );
              break;
            case 'OPERATIONAL_SUPPORT':
              body = readOnly ? <SupportHoursSummary hours={info.operationalSupport} /> : <SupportHoursField describedBy={help} />;
              break;
          }
          return (
            <FieldSection key={field} field={field} need={need} missing={isMissing}>
              {body}
            </FieldSection>
          );
        })}

        <Box
          ref={statusRef}
          tabIndex={-1}
          role="status"
          aria-live="polite"
          sx={{ '&:focus': { outline: 'none' } }}
        >
          {status.kind === 'invalid' && (
            <Alert severity="error" sx={{ mt: 1 }}>
              {t('contactInfo.invalid', { count: status.count })}
            </Alert>
          )}
          {status.kind === 'rejected' && (
            <Alert severity="error" sx={{ mt: 1 }}>
              <AlertTitle>{t('contactInfo.rejected')}</AlertTitle>
              {status.unknown.length > 0 && (
                <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
                  {status.unknown.map((p) => (
                    <li key={`${p.field}:${p.message}`}>
                      {p.field}: {problemText(p)}
                    </li>
                  ))}
                </Box>
              )}
            </Alert>
          )}
          {status.kind === 'failed' && <ErrorAlert error={status.error} sx={{ mt: 1 }} />}
        </Box>

        {!readOnly && (
          <Box
            sx={{
              position: 'sticky',
              bottom: variant === 'modal' ? -20 : 0,
              zIndex: 2,
              mt: 2,
              mx: { xs: -2, sm: -3 },
              px: { xs: 2, sm: 3 },
              py: 1.5,
              bgcolor: 'background.paper',
              borderTop: 1,
              borderColor: 'divider',
              display: 'flex',
              alignItems: 'center',
              gap: 1,
              flexWrap: 'wrap',
            }}
          >
            <SaveBar
              base={base}
              saving={saving}
              idleText={
                status.kind === 'saved'
                  ? status.missing.length > 0
                    ? t('contactInfo.savedPartial', { count: status.missing.length })
                    : t('contactInfo.savedComplete')
                  : status.kind === 'noChanges'
                    ? t('contactInfo.noChanges')
                    : lastSaved
              }
              onDiscard={() => reset(base)}
            />
          </Box>
        )}
      </Box>

      {conflict && theirs && (
        <ConflictDialog
          open
          latest={conflict.latest}
          theirs={theirs}
          mine={conflict.mine}
          myChanges={changedKeys(conflict.mine, conflict.base)}
          members={memberOptions}
          busy={reapplying}
          onKeepTheirs={() => {
            setBase(theirs);
            setVersion(conflict.latest.version);
            reset(theirs);
            setConflict(null);
            setStatus({ kind: 'idle' });
          }}
          onReapply={() => {
            setReapplying(true);
            void save(conflict.mine, conflict.base, conflict.latest.version).finally(() => {
              setReapplying(false);
              setConflict(null);
            });
          }}
        />
      )}
    </FormProvider>
  );
}

/** Save status and buttons; the only part that re-renders on every keystroke. */
function SaveBar({ base, saving, idleText, onDiscard }: { base: ContactFormValues; saving: boolean; idleText: string; onDiscard: () => void }) {
  const { t } = useTranslation();
  const values = useWatch<ContactFormValues>() as ContactFormValues;
  const dirty = useMemo(() => changedKeys(values, base).length > 0, [values, base]);
  useReportUnsaved(dirty && !saving);
  return (
    <>
      <Typography variant="body2" sx={{ flex: '1 1 200px', color: 'text.secondary' }} aria-live="polite">
        {saving ? t('contactInfo.saving') : dirty ? t('contactInfo.unsaved') : idleText}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, ml: 'auto' }}>
        {dirty && (
          <Button onClick={onDiscard} disabled={saving}>
            {t('contactInfo.discard')}
          </Button>
        )}
        <Button
          type="submit"
          variant="contained"
          disabled={saving}
          startIcon={saving ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {t('contactInfo.save')}
        </Button>
      </Box>
    </>
  );
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
