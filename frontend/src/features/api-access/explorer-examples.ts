import type { TFunction } from 'i18next';

/**
 * The explorer's example operations for the common tasks, with this account's id written in (GraphiQL
 * does not take a default tab's variables, so none are needed).
 */
export function exampleTabs(t: TFunction, accountId: string) {
  const id = JSON.stringify(accountId);
  return [
    {
      query: `# ${t('explorer.exampleGate')}
query ReadGate {
  accessGate(accountId: ${id}, environment: PRODUCTION) {
    locked
    missing
  }
}`,
    },
    {
      query: `# ${t('explorer.exampleSave')}
query ReadContacts {
  account(id: ${id}) {
    contactInfo {
      version
      technicalNonEmergency { name email phone }
    }
  }
}

mutation SaveContacts {
  updateContactInfo(input: {
    accountId: ${id}
    environment: SANDBOX
    expectedVersion: 0
    technicalNonEmergency: [{ name: "Integration team", email: "integration@example.com" }]
  }) {
    account { contactInfo { version } }
  }
}`,
    },
    {
      query: `# ${t('explorer.exampleHistory')}
query History {
  account(id: ${id}) {
    history(first: 10) {
      totalCount
      edges { node { at field before after actor { email } } }
    }
  }
}`,
    },
  ];
}
