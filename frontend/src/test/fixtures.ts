import type { ContactField, ContactInfoFieldsFragment, Role } from '../gql/graphql';
import type { Me } from '../lib/me-context';

export const ACCOUNT_ID = 'acc-1';

export const users = {
  ada: { __typename: 'User' as const, id: 'u-ada', email: 'ada@partner.example', name: 'Ada Admin' },
  bob: { __typename: 'User' as const, id: 'u-bob', email: 'bob@partner.example', name: 'Bob Editor' },
  rea: { __typename: 'User' as const, id: 'u-rea', email: 'rea@partner.example', name: 'Rea Reader' },
};

export function makeMe(role: Role, user = users.ada, staff = false): Me {
  return {
    __typename: 'Me',
    staff,
    user,
    memberships: staff ? [] : [{ __typename: 'Member', role, account: { __typename: 'Account', id: ACCOUNT_ID, name: 'Demo Partner' } }],
  };
}

export const members = [
  { role: 'ADMINISTRATOR' as Role, createdAt: '2026-01-01T10:00:00Z', user: users.ada },
  { role: 'EDITOR' as Role, createdAt: '2026-01-02T10:00:00Z', user: users.bob },
  { role: 'READ_ONLY' as Role, createdAt: '2026-01-03T10:00:00Z', user: users.rea },
];

export function emptyInfo(overrides: Partial<ContactInfoFieldsFragment> = {}): ContactInfoFieldsFragment {
  return {
    __typename: 'ContactInfo',
    version: 1,
    alertContacts: [],
    technicalEmergency: [],
    technicalNonEmergency: [],
    merchantIssues: [],
    merchantIssuesRequirement: 'REQUIRED',
    operationalForGoogle: [],
    operationalForUsers: null,
    operationalSupport: null,
    updatedAt: null,
    updatedBy: null,
    ...overrides,
  };
}

export const ALL_SANDBOX_FIELDS: ContactField[] = [
  'TECHNICAL_EMERGENCY',
  'TECHNICAL_NON_EMERGENCY',
  'MERCHANT_ISSUES',
  'OPERATIONAL_FOR_GOOGLE',
  'OPERATIONAL_FOR_USERS',
  'OPERATIONAL_SUPPORT',
];

export function gate(environment: 'SANDBOX' | 'PRODUCTION', missing: ContactField[]) {
  return { environment, locked: missing.length > 0, missing };
}

export function editorAccount(info: ContactInfoFieldsFragment, missing: ContactField[], environment: 'SANDBOX' | 'PRODUCTION' = 'SANDBOX') {
  return {
    account: {
      id: ACCOUNT_ID,
      name: 'Demo Partner',
      sandboxGate: gate('SANDBOX', environment === 'SANDBOX' ? missing : missing.filter((f) => f !== 'ALERT_CONTACTS')),
      productionGate: gate('PRODUCTION', environment === 'PRODUCTION' ? missing : [...new Set<ContactField>(['ALERT_CONTACTS', ...missing])]),
      members,
      contactInfo: info,
    },
  };
}

export const portalConfig = {
  portalConfig: {
    supportUrl: 'https://support.example/contact',
    referenceGuideUrl: 'https://support.example/guide',
    integrationTypes: [
      { name: 'APPOINTMENTS_E2E', label: 'Appointments end to end', merchantIssues: 'REQUIRED' },
      { name: 'BUSINESS_LINK', label: 'Business link', merchantIssues: 'UNAVAILABLE' },
    ],
  },
};

export function usersPanel(invitations: unknown[] = [], alertContactIds: string[] = []) {
  return {
    account: { id: ACCOUNT_ID, name: 'Demo Partner', members, invitations, contactInfo: { alertContacts: alertContactIds.map((id) => ({ id })) } },
  };
}
