import { useMemo } from 'react';
import { Box } from '@mui/material';
import { FormProvider } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ContactField, ContactInfoFieldsFragment, Environment, Role } from '../../gql/graphql';
import { formatDateTime } from '../../lib/format';
import type { MemberOption } from './alert-contacts-field';
import { ConflictDialog } from './conflict-dialog';
import { ContactFieldInput } from './contact-field-input';
import { MissingNotice, ReadOnlyNotice } from './contact-info-notices';
import { FieldSection } from './field-section';
import { FIELD_ORDER, fieldNeed, sectionId } from './field-meta';
import { changedKeys, toFormValues } from './form-model';
import { SaveBar, SaveStatusRegion } from './save-bar';
import { useSaveContactInfo, type SavedAccount } from './use-save-contact-info';

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

/** The seven contact fields as one form: used by the blocking modal and by Configuration › Contact info. */
export function ContactInfoForm(props: ContactInfoFormProps) {
  const { accountId, environment, info, members, missing, readOnly, readOnlyReason, variant, onSaved } = props;
  const { t, i18n } = useTranslation();
  const editable = !readOnly;
  const { form, base, version, saving, status, statusRef, conflict, reapplying, onValid, onInvalid, discard, keepTheirs, reapply } =
    useSaveContactInfo({ accountId, environment, info, editable, onSaved });

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
  const theirs = conflict ? toFormValues(conflict.latest, editable) : null;
  const fieldVisible = (field: ContactField) => fieldNeed(field, environment, info.merchantIssuesRequirement) !== 'hidden';

  return (
    <FormProvider {...form}>
      <Box
        component="form"
        id={`contact-info-form-${variant}`}
        noValidate
        onSubmit={(e) => void form.handleSubmit(onValid, onInvalid)(e)}
        onKeyDown={(e) => {
          // Enter in a text or time field (e.g. after typing a time) must not save a half-done form.
          if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type !== 'submit') e.preventDefault();
        }}
        aria-label={t('contactInfo.formLabel')}
      >
        {readOnly && <ReadOnlyNotice reason={readOnlyReason} administrators={administrators} variant={variant} />}
        {missing.length > 0 && <MissingNotice missing={missing} />}

        {FIELD_ORDER.filter(fieldVisible).map((field) => (
          <FieldSection
            key={field}
            field={field}
            need={fieldNeed(field, environment, info.merchantIssuesRequirement)}
            missing={missing.includes(field)}
          >
            <ContactFieldInput
              field={field}
              environment={environment}
              readOnly={readOnly}
              describedBy={`${sectionId(field)}-help`}
              memberOptions={memberOptions}
              info={info}
            />
          </FieldSection>
        ))}

        <SaveStatusRegion status={status} ref={statusRef} />
        {!readOnly && (
          <SaveBar base={base} saving={saving} status={status} lastSaved={lastSaved} variant={variant} onDiscard={discard} />
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
          onKeepTheirs={() => keepTheirs(theirs)}
          onReapply={reapply}
        />
      )}
    </FormProvider>
  );
}
