import type { TFunction } from 'i18next';

/** The explorer's example operations for the common tasks, with this account's id filled in. */
export function exampleTabs(t: TFunction, accountId: string) {
  const vars = (extra: Record<string, unknown> = {}) => JSON.stringify({ accountId, ...extra }, null, 2);
  return [
    {
      query: `# ${t('explorer.exampleGate')}
query ReadGate($accountId: ID!) {
  accessGate(accountId: $accountId, environment: PRODUCTION) {
    locked
    missing
  }
}`,
      variables: vars(),
    },
    {
      query: `# ${t('explorer.exampleSave')}
query ReadContacts($accountId: ID!) {
  account(id: $accountId) {
    contactInfo {
      version
      technicalNonEmergency { name email phone }
    }
  }
}

mutation SaveContacts($accountId: ID!, $version: Int!) {
  updateContactInfo(input: {
    accountId: $accountId
    environment: SANDBOX
    expectedVersion: $version
    technicalNonEmergency: [{ name: "Integration team", email: "integration@example.com" }]
  }) {
    account { contactInfo { version } }
  }
}`,
      variables: vars({ version: 0 }),
    },
    {
      query: `# ${t('explorer.exampleHistory')}
query History($accountId: ID!) {
  account(id: $accountId) {
    history(first: 10) {
      totalCount
      edges { node { at field before after actor { email } } }
    }
  }
}`,
      variables: vars(),
    },
  ];
}
