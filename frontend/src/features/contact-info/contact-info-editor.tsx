import { useQuery } from 'urql';
import { graphql } from '../../gql/gql';
import { getFragmentData } from '../../gql/fragment-masking';
import { AccessGateFieldsDoc } from '../../components/gate-chip';
import { ContactInfoFieldsDoc } from './contact-info-fields';
import type { Environment } from '../../gql/graphql';
import { useMe } from '../../lib/me-context';
import { ErrorAlert } from '../../components/error-alert';
import { PageSkeleton } from '../../components/loading';
import { ContactWarnings } from '../review/contact-warnings';
import { ContactInfoForm } from './contact-info-form';
import type { SavedAccount } from './use-save-contact-info';

export const ContactInfoEditorDocument = graphql(`
  query ContactInfoEditor($accountId: ID!) {
    account(id: $accountId) {
      id
      name
      sandboxGate: accessGate(environment: SANDBOX) {
        ...AccessGateFields
      }
      productionGate: accessGate(environment: PRODUCTION) {
        ...AccessGateFields
      }
      members {
        role
        user {
          id
          email
          name
        }
      }
      contactInfo {
        ...ContactInfoFields
        warnings {
          field
          code
          message
        }
      }
    }
  }
`);

type Props = {
  accountId: string;
  environment: Environment;
  variant: 'modal' | 'page';
  onSaved?: (account: SavedAccount) => void;
};

/** Loads an account's contact info and shows the form, read-only where the caller may not edit. */
export function ContactInfoEditor({ accountId, environment, variant, onSaved }: Props) {
  const me = useMe();
  const [{ data, fetching, error }] = useQuery({
    query: ContactInfoEditorDocument,
    variables: { accountId },
  });
  if (fetching && !data) return <PageSkeleton />;
  const account = data?.account;
  if (!account) return <ErrorAlert error={error} />;
  const membership = me.memberships.find((m) => m.account.id === accountId);
  const role = membership?.role;
  const readOnly = !role || role === 'READ_ONLY';
  return (
    <>
      <ContactWarnings warnings={account.contactInfo.warnings ?? []} info={account.contactInfo as Record<string, unknown>} />
      <ContactInfoForm
      // Both gates come with the one query and the form is keyed by account only: switching
      // Sandbox/Production from the modal keeps what was typed.
      key={account.id}
      accountId={account.id}
      environment={environment}
      info={getFragmentData(ContactInfoFieldsDoc, account.contactInfo)}
      members={account.members}
      missing={getFragmentData(AccessGateFieldsDoc, environment === 'PRODUCTION' ? account.productionGate : account.sandboxGate).missing}
      readOnly={readOnly}
      readOnlyReason={!role && me.staff ? 'staff' : 'member'}
      variant={variant}
      onSaved={onSaved}
      />
    </>
  );
}
