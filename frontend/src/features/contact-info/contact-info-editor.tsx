import { useQuery } from 'urql';
import { graphql } from '../../gql/gql';
import type { Environment } from '../../gql/graphql';
import { useMe } from '../../app/me-context';
import { ErrorAlert } from '../../components/error-alert';
import { PageSkeleton } from '../../components/loading';
import { ContactWarnings } from '../review/contact-warnings';
import { ContactInfoForm, type SavedAccount } from './contact-info-form';

export const ContactInfoEditorDocument = graphql(`
  query ContactInfoEditor($accountId: ID!) {
    account(id: $accountId) {
      id
      name
      sandboxGate: accessGate(environment: SANDBOX) {
        environment
        locked
        missing
      }
      productionGate: accessGate(environment: PRODUCTION) {
        environment
        locked
        missing
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
      info={account.contactInfo}
      members={account.members}
      missing={(environment === 'PRODUCTION' ? account.productionGate : account.sandboxGate).missing}
      readOnly={readOnly}
      readOnlyReason={!role && me.staff ? 'staff' : 'member'}
      variant={variant}
      onSaved={onSaved}
      />
    </>
  );
}
