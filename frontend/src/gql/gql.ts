/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query PortalShell($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      sandboxGate: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      productionGate: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n    }\n  }\n": typeof types.PortalShellDocument,
    "\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    endCursor\n  }\n": typeof types.PageInfoFieldsFragmentDoc,
    "\n  fragment AccessGateFields on AccessGate {\n    environment\n    locked\n    missing\n    reviewDueAt\n    reviewOverdue\n    reviewLocked\n    reviewLocksAt\n  }\n": typeof types.AccessGateFieldsFragmentDoc,
    "\n  query AuditEvents($accountId: ID!, $first: Int, $after: String) {\n    account(id: $accountId) {\n      id\n      auditLog(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          ...PageInfoFields\n        }\n        edges {\n          cursor\n          node {\n            id\n            at\n            action\n            principal\n            actor {\n              id\n              email\n              name\n            }\n            ip\n            userAgent\n            target {\n              kind\n              id\n              label\n            }\n            before\n            after\n          }\n        }\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query ApiTokens($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      apiTokens {\n        ...ApiTokenFields\n      }\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    readOnly\n    prefix\n    createdAt\n    lastUsedAt\n    lastUsedIp\n    expiresAt\n  }\n": typeof types.ApiTokenFieldsFragmentDoc,
    "\n  query WebhookEndpoints($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      webhookEndpoints {\n        id\n        url\n        description\n        events\n        enabled\n        disabledReason\n        consecutiveFailures\n        previousSecretExpiresAt\n        deliveries(first: 10) {\n          totalCount\n          edges {\n            node {\n              id\n              event\n              status\n              attempts\n              responseCode\n              latencyMs\n              lastError\n              lastErrorCode\n              createdAt\n              lastAttemptAt\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebhookEndpointsDocument,
    "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      secret\n      endpoint {\n        id\n      }\n    }\n  }\n": typeof types.CreateWebhookEndpointDocument,
    "\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) {\n      id\n      enabled\n    }\n  }\n": typeof types.UpdateWebhookEndpointDocument,
    "\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n": typeof types.DeleteWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id, overlapHours: 24) {\n      secret\n      endpoint {\n        id\n        previousSecretExpiresAt\n      }\n    }\n  }\n": typeof types.RotateWebhookSecretDocument,
    "\n  mutation SendTestWebhookEvent($endpointId: ID!) {\n    sendTestWebhookEvent(endpointId: $endpointId) {\n      id\n      status\n    }\n  }\n": typeof types.SendTestWebhookEventDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      email\n      accountId\n      accountName\n      role\n      expiresAt\n      existingUser\n    }\n  }\n": typeof types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      staff\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        account {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      staff\n      user {\n        id\n      }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  query ContactHistory($accountId: ID!, $first: Int, $after: String) {\n    account(id: $accountId) {\n      id\n      members {\n        user {\n          id\n          email\n          name\n        }\n      }\n      history(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          ...PageInfoFields\n        }\n        edges {\n          cursor\n          node {\n            id\n            at\n            kind\n            field\n            before\n            after\n            actor {\n              id\n              email\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ContactHistoryDocument,
    "\n  query ContactInfoEditor($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      sandboxGate: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      productionGate: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      members {\n        role\n        user {\n          id\n          email\n          name\n        }\n      }\n      contactInfo {\n        ...ContactInfoFields\n        warnings {\n          field\n          code\n          message\n        }\n      }\n    }\n  }\n": typeof types.ContactInfoEditorDocument,
    "\n  fragment ContactInfoFields on ContactInfo {\n    version\n    alertContacts {\n      id\n      email\n      name\n    }\n    technicalEmergency {\n      name\n      email\n      phone\n    }\n    technicalNonEmergency {\n      name\n      email\n      phone\n    }\n    merchantIssues {\n      name\n      email\n      phone\n    }\n    merchantIssuesRequirement\n    operationalForGoogle {\n      name\n      email\n      phone\n    }\n    operationalForUsers {\n      name\n      email\n      phone\n    }\n    operationalSupport {\n      ...SupportHoursFields\n    }\n    updatedAt\n    updatedBy {\n      id\n      email\n      name\n    }\n  }\n": typeof types.ContactInfoFieldsFragmentDoc,
    "\n  fragment SupportHoursFields on SupportHours {\n    alwaysOpen\n    windows {\n      days\n      opens\n      closes\n      timeZone\n    }\n    openNow\n    nextChange\n  }\n": typeof types.SupportHoursFieldsFragmentDoc,
    "\n  mutation UpdateContactInfo($input: UpdateContactInfoInput!, $environment: Environment!) {\n    updateContactInfo(input: $input) {\n      account {\n        id\n        accessGate(environment: $environment) {\n          ...AccessGateFields\n        }\n        contactInfo {\n          ...ContactInfoFields\n        }\n      }\n    }\n  }\n": typeof types.UpdateContactInfoDocument,
    "\n  query ContactInfoLatest($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      contactInfo {\n        ...ContactInfoFields\n      }\n    }\n  }\n": typeof types.ContactInfoLatestDocument,
    "\n  query Launch($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      launchRequestedAt\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n    }\n  }\n": typeof types.LaunchDocument,
    "\n  mutation RequestLaunch($accountId: ID!) {\n    requestLaunch(accountId: $accountId) {\n      id\n      launchRequestedAt\n    }\n  }\n": typeof types.RequestLaunchDocument,
    "\n  query Overview($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      launchRequestedAt\n      sandbox: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      contactInfo {\n        version\n        updatedAt\n        updatedBy {\n          id\n          email\n          name\n        }\n        operationalForUsers {\n          name\n          email\n          phone\n        }\n        operationalSupport {\n          ...SupportHoursFields\n        }\n      }\n    }\n  }\n": typeof types.OverviewDocument,
    "\n  query PublicSupport($accountId: ID!) {\n    publicSupportContact(accountId: $accountId) {\n      accountName\n      contact {\n        name\n        email\n        phone\n      }\n      operationalSupport {\n        ...SupportHoursFields\n      }\n    }\n  }\n": typeof types.PublicSupportDocument,
    "\n  query AccountReachability($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      reachability {\n        unreachable\n        unverified\n        unreachableFields\n        unverifiedFields\n      }\n      addresses {\n        email\n        state\n        since\n        detail\n        verifiedBy\n        lastTest {\n          field\n          status\n          at\n        }\n      }\n    }\n  }\n": typeof types.AccountReachabilityDocument,
    "\n  subscription ReachabilityChanged($accountId: ID!) {\n    reachabilityChanged(accountId: $accountId) {\n      unreachable\n      unverified\n      unreachableFields\n      unverifiedFields\n    }\n  }\n": typeof types.ReachabilityChangedDocument,
    "\n  mutation ResendVerification($accountId: ID!, $email: String!) {\n    resendVerification(accountId: $accountId, email: $email) {\n      email\n      state\n    }\n  }\n": typeof types.ResendVerificationDocument,
    "\n  mutation SendTestMessage($accountId: ID!, $field: ContactField!) {\n    sendTestMessage(accountId: $accountId, field: $field) {\n      email\n      state\n      lastTest {\n        field\n        status\n        at\n      }\n    }\n  }\n": typeof types.SendTestMessageDocument,
    "\n  query ContactLink($token: String!) {\n    contactLink(token: $token) {\n      accountName\n      email\n      purpose\n      fields\n    }\n  }\n": typeof types.ContactLinkDocument,
    "\n  mutation ConfirmContactAddress($token: String!) {\n    confirmContactAddress(token: $token) {\n      email\n      purpose\n    }\n  }\n": typeof types.ConfirmContactAddressDocument,
    "\n  mutation DisputeContactAddress($token: String!) {\n    disputeContactAddress(token: $token) {\n      email\n    }\n  }\n": typeof types.DisputeContactAddressDocument,
    "\n  mutation ConfirmContactInfo($accountId: ID!, $environment: Environment!) {\n    confirmContactInfo(accountId: $accountId) {\n      account {\n        id\n        accessGate(environment: $environment) {\n          ...AccessGateFields\n        }\n        contactInfo {\n          reviewedAt\n          reviewDueAt\n        }\n      }\n    }\n  }\n": typeof types.ConfirmContactInfoDocument,
    "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateAccountDocument,
    "\n  query AccountHealth {\n    accountHealth(environment: PRODUCTION) {\n      environment\n      total\n      complete\n      locked\n      reviewCurrent\n      reviewDue\n      reviewLocked\n      withWarnings\n      unreachable\n      unverified\n      warnings {\n        code\n        accounts\n      }\n    }\n  }\n": typeof types.AccountHealthDocument,
    "\n  query Recipients($accountId: ID!, $kind: NotificationKind!) {\n    recipients(accountId: $accountId, kind: $kind) {\n      name\n      email\n      phone\n      reachability {\n        state\n        detail\n      }\n    }\n  }\n": typeof types.RecipientsDocument,
    "\n  mutation SendNotification($input: SendNotificationInput!) {\n    sendNotification(input: $input) {\n      id\n      kind\n      subject\n      createdAt\n      recipients {\n        name\n        email\n      }\n      deliveries {\n        email\n        status\n        attempts\n        lastError\n        sentAt\n      }\n    }\n  }\n": typeof types.SendNotificationDocument,
    "\n  query StaffAccount($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      createdAt\n      launchRequestedAt\n      sandbox: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      contactInfo {\n        ...ContactInfoFields\n      }\n    }\n  }\n": typeof types.StaffAccountDocument,
    "\n  query StaffNotifications($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      notifications {\n        id\n        kind\n        subject\n        createdAt\n        deliveries {\n          email\n          status\n          attempts\n          lastError\n          sentAt\n        }\n      }\n    }\n  }\n": typeof types.StaffNotificationsDocument,
    "\n  query StaffAccounts($filter: AccountFilter, $first: Int, $after: String) {\n    accounts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        cursor\n        node {\n          id\n          name\n          integrationTypes\n          createdAt\n          sandbox: accessGate(environment: SANDBOX) {\n            ...AccessGateFields\n          }\n          production: accessGate(environment: PRODUCTION) {\n            ...AccessGateFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.StaffAccountsDocument,
    "\n  mutation InviteUser($input: InviteUserInput!) {\n    inviteUser(input: $input) {\n      id\n      email\n      role\n      expiresAt\n      createdAt\n    }\n  }\n": typeof types.InviteUserDocument,
    "\n  query UsersPanel($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      members {\n        role\n        createdAt\n        user {\n          id\n          email\n          name\n        }\n      }\n      invitations {\n        id\n        email\n        role\n        expiresAt\n        createdAt\n      }\n      contactInfo {\n        alertContacts {\n          id\n        }\n      }\n    }\n  }\n": typeof types.UsersPanelDocument,
    "\n  mutation UpdateMemberRole($accountId: ID!, $userId: ID!, $role: Role!) {\n    updateMemberRole(accountId: $accountId, userId: $userId, role: $role) {\n      role\n      user {\n        id\n      }\n    }\n  }\n": typeof types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($accountId: ID!, $userId: ID!) {\n    removeMember(accountId: $accountId, userId: $userId)\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  subscription AccessGateChanged($accountId: ID!, $environment: Environment!) {\n    accessGateChanged(accountId: $accountId, environment: $environment) {\n      ...AccessGateFields\n    }\n  }\n": typeof types.AccessGateChangedDocument,
    "\n  query Me {\n    me {\n      staff\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        account {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.MeDocument,
    "\n  query PortalConfig {\n    portalConfig {\n      supportUrl\n      referenceGuideUrl\n      integrationTypes {\n        name\n        label\n        merchantIssues\n      }\n    }\n  }\n": typeof types.PortalConfigDocument,
    "\n  mutation SetLanguage($language: String!) {\n    setLanguage(language: $language) {\n      user {\n        id\n        language\n      }\n    }\n  }\n": typeof types.SetLanguageDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
};
const documents: Documents = {
    "\n  query PortalShell($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      sandboxGate: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      productionGate: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n    }\n  }\n": types.PortalShellDocument,
    "\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    endCursor\n  }\n": types.PageInfoFieldsFragmentDoc,
    "\n  fragment AccessGateFields on AccessGate {\n    environment\n    locked\n    missing\n    reviewDueAt\n    reviewOverdue\n    reviewLocked\n    reviewLocksAt\n  }\n": types.AccessGateFieldsFragmentDoc,
    "\n  query AuditEvents($accountId: ID!, $first: Int, $after: String) {\n    account(id: $accountId) {\n      id\n      auditLog(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          ...PageInfoFields\n        }\n        edges {\n          cursor\n          node {\n            id\n            at\n            action\n            principal\n            actor {\n              id\n              email\n              name\n            }\n            ip\n            userAgent\n            target {\n              kind\n              id\n              label\n            }\n            before\n            after\n          }\n        }\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query ApiTokens($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      apiTokens {\n        ...ApiTokenFields\n      }\n    }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n": types.RevokeApiTokenDocument,
    "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    readOnly\n    prefix\n    createdAt\n    lastUsedAt\n    lastUsedIp\n    expiresAt\n  }\n": types.ApiTokenFieldsFragmentDoc,
    "\n  query WebhookEndpoints($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      webhookEndpoints {\n        id\n        url\n        description\n        events\n        enabled\n        disabledReason\n        consecutiveFailures\n        previousSecretExpiresAt\n        deliveries(first: 10) {\n          totalCount\n          edges {\n            node {\n              id\n              event\n              status\n              attempts\n              responseCode\n              latencyMs\n              lastError\n              lastErrorCode\n              createdAt\n              lastAttemptAt\n            }\n          }\n        }\n      }\n    }\n  }\n": types.WebhookEndpointsDocument,
    "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      secret\n      endpoint {\n        id\n      }\n    }\n  }\n": types.CreateWebhookEndpointDocument,
    "\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) {\n      id\n      enabled\n    }\n  }\n": types.UpdateWebhookEndpointDocument,
    "\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n": types.DeleteWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id, overlapHours: 24) {\n      secret\n      endpoint {\n        id\n        previousSecretExpiresAt\n      }\n    }\n  }\n": types.RotateWebhookSecretDocument,
    "\n  mutation SendTestWebhookEvent($endpointId: ID!) {\n    sendTestWebhookEvent(endpointId: $endpointId) {\n      id\n      status\n    }\n  }\n": types.SendTestWebhookEventDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      email\n      accountId\n      accountName\n      role\n      expiresAt\n      existingUser\n    }\n  }\n": types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      staff\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        account {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      staff\n      user {\n        id\n      }\n    }\n  }\n": types.SignInDocument,
    "\n  query ContactHistory($accountId: ID!, $first: Int, $after: String) {\n    account(id: $accountId) {\n      id\n      members {\n        user {\n          id\n          email\n          name\n        }\n      }\n      history(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          ...PageInfoFields\n        }\n        edges {\n          cursor\n          node {\n            id\n            at\n            kind\n            field\n            before\n            after\n            actor {\n              id\n              email\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ContactHistoryDocument,
    "\n  query ContactInfoEditor($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      sandboxGate: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      productionGate: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      members {\n        role\n        user {\n          id\n          email\n          name\n        }\n      }\n      contactInfo {\n        ...ContactInfoFields\n        warnings {\n          field\n          code\n          message\n        }\n      }\n    }\n  }\n": types.ContactInfoEditorDocument,
    "\n  fragment ContactInfoFields on ContactInfo {\n    version\n    alertContacts {\n      id\n      email\n      name\n    }\n    technicalEmergency {\n      name\n      email\n      phone\n    }\n    technicalNonEmergency {\n      name\n      email\n      phone\n    }\n    merchantIssues {\n      name\n      email\n      phone\n    }\n    merchantIssuesRequirement\n    operationalForGoogle {\n      name\n      email\n      phone\n    }\n    operationalForUsers {\n      name\n      email\n      phone\n    }\n    operationalSupport {\n      ...SupportHoursFields\n    }\n    updatedAt\n    updatedBy {\n      id\n      email\n      name\n    }\n  }\n": types.ContactInfoFieldsFragmentDoc,
    "\n  fragment SupportHoursFields on SupportHours {\n    alwaysOpen\n    windows {\n      days\n      opens\n      closes\n      timeZone\n    }\n    openNow\n    nextChange\n  }\n": types.SupportHoursFieldsFragmentDoc,
    "\n  mutation UpdateContactInfo($input: UpdateContactInfoInput!, $environment: Environment!) {\n    updateContactInfo(input: $input) {\n      account {\n        id\n        accessGate(environment: $environment) {\n          ...AccessGateFields\n        }\n        contactInfo {\n          ...ContactInfoFields\n        }\n      }\n    }\n  }\n": types.UpdateContactInfoDocument,
    "\n  query ContactInfoLatest($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      contactInfo {\n        ...ContactInfoFields\n      }\n    }\n  }\n": types.ContactInfoLatestDocument,
    "\n  query Launch($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      launchRequestedAt\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n    }\n  }\n": types.LaunchDocument,
    "\n  mutation RequestLaunch($accountId: ID!) {\n    requestLaunch(accountId: $accountId) {\n      id\n      launchRequestedAt\n    }\n  }\n": types.RequestLaunchDocument,
    "\n  query Overview($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      launchRequestedAt\n      sandbox: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      contactInfo {\n        version\n        updatedAt\n        updatedBy {\n          id\n          email\n          name\n        }\n        operationalForUsers {\n          name\n          email\n          phone\n        }\n        operationalSupport {\n          ...SupportHoursFields\n        }\n      }\n    }\n  }\n": types.OverviewDocument,
    "\n  query PublicSupport($accountId: ID!) {\n    publicSupportContact(accountId: $accountId) {\n      accountName\n      contact {\n        name\n        email\n        phone\n      }\n      operationalSupport {\n        ...SupportHoursFields\n      }\n    }\n  }\n": types.PublicSupportDocument,
    "\n  query AccountReachability($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      reachability {\n        unreachable\n        unverified\n        unreachableFields\n        unverifiedFields\n      }\n      addresses {\n        email\n        state\n        since\n        detail\n        verifiedBy\n        lastTest {\n          field\n          status\n          at\n        }\n      }\n    }\n  }\n": types.AccountReachabilityDocument,
    "\n  subscription ReachabilityChanged($accountId: ID!) {\n    reachabilityChanged(accountId: $accountId) {\n      unreachable\n      unverified\n      unreachableFields\n      unverifiedFields\n    }\n  }\n": types.ReachabilityChangedDocument,
    "\n  mutation ResendVerification($accountId: ID!, $email: String!) {\n    resendVerification(accountId: $accountId, email: $email) {\n      email\n      state\n    }\n  }\n": types.ResendVerificationDocument,
    "\n  mutation SendTestMessage($accountId: ID!, $field: ContactField!) {\n    sendTestMessage(accountId: $accountId, field: $field) {\n      email\n      state\n      lastTest {\n        field\n        status\n        at\n      }\n    }\n  }\n": types.SendTestMessageDocument,
    "\n  query ContactLink($token: String!) {\n    contactLink(token: $token) {\n      accountName\n      email\n      purpose\n      fields\n    }\n  }\n": types.ContactLinkDocument,
    "\n  mutation ConfirmContactAddress($token: String!) {\n    confirmContactAddress(token: $token) {\n      email\n      purpose\n    }\n  }\n": types.ConfirmContactAddressDocument,
    "\n  mutation DisputeContactAddress($token: String!) {\n    disputeContactAddress(token: $token) {\n      email\n    }\n  }\n": types.DisputeContactAddressDocument,
    "\n  mutation ConfirmContactInfo($accountId: ID!, $environment: Environment!) {\n    confirmContactInfo(accountId: $accountId) {\n      account {\n        id\n        accessGate(environment: $environment) {\n          ...AccessGateFields\n        }\n        contactInfo {\n          reviewedAt\n          reviewDueAt\n        }\n      }\n    }\n  }\n": types.ConfirmContactInfoDocument,
    "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateAccountDocument,
    "\n  query AccountHealth {\n    accountHealth(environment: PRODUCTION) {\n      environment\n      total\n      complete\n      locked\n      reviewCurrent\n      reviewDue\n      reviewLocked\n      withWarnings\n      unreachable\n      unverified\n      warnings {\n        code\n        accounts\n      }\n    }\n  }\n": types.AccountHealthDocument,
    "\n  query Recipients($accountId: ID!, $kind: NotificationKind!) {\n    recipients(accountId: $accountId, kind: $kind) {\n      name\n      email\n      phone\n      reachability {\n        state\n        detail\n      }\n    }\n  }\n": types.RecipientsDocument,
    "\n  mutation SendNotification($input: SendNotificationInput!) {\n    sendNotification(input: $input) {\n      id\n      kind\n      subject\n      createdAt\n      recipients {\n        name\n        email\n      }\n      deliveries {\n        email\n        status\n        attempts\n        lastError\n        sentAt\n      }\n    }\n  }\n": types.SendNotificationDocument,
    "\n  query StaffAccount($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      createdAt\n      launchRequestedAt\n      sandbox: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      contactInfo {\n        ...ContactInfoFields\n      }\n    }\n  }\n": types.StaffAccountDocument,
    "\n  query StaffNotifications($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      notifications {\n        id\n        kind\n        subject\n        createdAt\n        deliveries {\n          email\n          status\n          attempts\n          lastError\n          sentAt\n        }\n      }\n    }\n  }\n": types.StaffNotificationsDocument,
    "\n  query StaffAccounts($filter: AccountFilter, $first: Int, $after: String) {\n    accounts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        cursor\n        node {\n          id\n          name\n          integrationTypes\n          createdAt\n          sandbox: accessGate(environment: SANDBOX) {\n            ...AccessGateFields\n          }\n          production: accessGate(environment: PRODUCTION) {\n            ...AccessGateFields\n          }\n        }\n      }\n    }\n  }\n": types.StaffAccountsDocument,
    "\n  mutation InviteUser($input: InviteUserInput!) {\n    inviteUser(input: $input) {\n      id\n      email\n      role\n      expiresAt\n      createdAt\n    }\n  }\n": types.InviteUserDocument,
    "\n  query UsersPanel($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      members {\n        role\n        createdAt\n        user {\n          id\n          email\n          name\n        }\n      }\n      invitations {\n        id\n        email\n        role\n        expiresAt\n        createdAt\n      }\n      contactInfo {\n        alertContacts {\n          id\n        }\n      }\n    }\n  }\n": types.UsersPanelDocument,
    "\n  mutation UpdateMemberRole($accountId: ID!, $userId: ID!, $role: Role!) {\n    updateMemberRole(accountId: $accountId, userId: $userId, role: $role) {\n      role\n      user {\n        id\n      }\n    }\n  }\n": types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($accountId: ID!, $userId: ID!) {\n    removeMember(accountId: $accountId, userId: $userId)\n  }\n": types.RemoveMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": types.RevokeInvitationDocument,
    "\n  subscription AccessGateChanged($accountId: ID!, $environment: Environment!) {\n    accessGateChanged(accountId: $accountId, environment: $environment) {\n      ...AccessGateFields\n    }\n  }\n": types.AccessGateChangedDocument,
    "\n  query Me {\n    me {\n      staff\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        account {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.MeDocument,
    "\n  query PortalConfig {\n    portalConfig {\n      supportUrl\n      referenceGuideUrl\n      integrationTypes {\n        name\n        label\n        merchantIssues\n      }\n    }\n  }\n": types.PortalConfigDocument,
    "\n  mutation SetLanguage($language: String!) {\n    setLanguage(language: $language) {\n      user {\n        id\n        language\n      }\n    }\n  }\n": types.SetLanguageDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PortalShell($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      sandboxGate: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      productionGate: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query PortalShell($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      sandboxGate: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      productionGate: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    endCursor\n  }\n"): (typeof documents)["\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    endCursor\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AccessGateFields on AccessGate {\n    environment\n    locked\n    missing\n    reviewDueAt\n    reviewOverdue\n    reviewLocked\n    reviewLocksAt\n  }\n"): (typeof documents)["\n  fragment AccessGateFields on AccessGate {\n    environment\n    locked\n    missing\n    reviewDueAt\n    reviewOverdue\n    reviewLocked\n    reviewLocksAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($accountId: ID!, $first: Int, $after: String) {\n    account(id: $accountId) {\n      id\n      auditLog(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          ...PageInfoFields\n        }\n        edges {\n          cursor\n          node {\n            id\n            at\n            action\n            principal\n            actor {\n              id\n              email\n              name\n            }\n            ip\n            userAgent\n            target {\n              kind\n              id\n              label\n            }\n            before\n            after\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents($accountId: ID!, $first: Int, $after: String) {\n    account(id: $accountId) {\n      id\n      auditLog(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          ...PageInfoFields\n        }\n        edges {\n          cursor\n          node {\n            id\n            at\n            action\n            principal\n            actor {\n              id\n              email\n              name\n            }\n            ip\n            userAgent\n            target {\n              kind\n              id\n              label\n            }\n            before\n            after\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      apiTokens {\n        ...ApiTokenFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiTokens($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      apiTokens {\n        ...ApiTokenFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    readOnly\n    prefix\n    createdAt\n    lastUsedAt\n    lastUsedIp\n    expiresAt\n  }\n"): (typeof documents)["\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    readOnly\n    prefix\n    createdAt\n    lastUsedAt\n    lastUsedIp\n    expiresAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookEndpoints($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      webhookEndpoints {\n        id\n        url\n        description\n        events\n        enabled\n        disabledReason\n        consecutiveFailures\n        previousSecretExpiresAt\n        deliveries(first: 10) {\n          totalCount\n          edges {\n            node {\n              id\n              event\n              status\n              attempts\n              responseCode\n              latencyMs\n              lastError\n              lastErrorCode\n              createdAt\n              lastAttemptAt\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookEndpoints($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      webhookEndpoints {\n        id\n        url\n        description\n        events\n        enabled\n        disabledReason\n        consecutiveFailures\n        previousSecretExpiresAt\n        deliveries(first: 10) {\n          totalCount\n          edges {\n            node {\n              id\n              event\n              status\n              attempts\n              responseCode\n              latencyMs\n              lastError\n              lastErrorCode\n              createdAt\n              lastAttemptAt\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      secret\n      endpoint {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      secret\n      endpoint {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) {\n      id\n      enabled\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) {\n      id\n      enabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id, overlapHours: 24) {\n      secret\n      endpoint {\n        id\n        previousSecretExpiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id, overlapHours: 24) {\n      secret\n      endpoint {\n        id\n        previousSecretExpiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestWebhookEvent($endpointId: ID!) {\n    sendTestWebhookEvent(endpointId: $endpointId) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation SendTestWebhookEvent($endpointId: ID!) {\n    sendTestWebhookEvent(endpointId: $endpointId) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      email\n      accountId\n      accountName\n      role\n      expiresAt\n      existingUser\n    }\n  }\n"): (typeof documents)["\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      email\n      accountId\n      accountName\n      role\n      expiresAt\n      existingUser\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      staff\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        account {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      staff\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        account {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      staff\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      staff\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactHistory($accountId: ID!, $first: Int, $after: String) {\n    account(id: $accountId) {\n      id\n      members {\n        user {\n          id\n          email\n          name\n        }\n      }\n      history(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          ...PageInfoFields\n        }\n        edges {\n          cursor\n          node {\n            id\n            at\n            kind\n            field\n            before\n            after\n            actor {\n              id\n              email\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactHistory($accountId: ID!, $first: Int, $after: String) {\n    account(id: $accountId) {\n      id\n      members {\n        user {\n          id\n          email\n          name\n        }\n      }\n      history(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          ...PageInfoFields\n        }\n        edges {\n          cursor\n          node {\n            id\n            at\n            kind\n            field\n            before\n            after\n            actor {\n              id\n              email\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactInfoEditor($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      sandboxGate: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      productionGate: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      members {\n        role\n        user {\n          id\n          email\n          name\n        }\n      }\n      contactInfo {\n        ...ContactInfoFields\n        warnings {\n          field\n          code\n          message\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactInfoEditor($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      sandboxGate: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      productionGate: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      members {\n        role\n        user {\n          id\n          email\n          name\n        }\n      }\n      contactInfo {\n        ...ContactInfoFields\n        warnings {\n          field\n          code\n          message\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactInfoFields on ContactInfo {\n    version\n    alertContacts {\n      id\n      email\n      name\n    }\n    technicalEmergency {\n      name\n      email\n      phone\n    }\n    technicalNonEmergency {\n      name\n      email\n      phone\n    }\n    merchantIssues {\n      name\n      email\n      phone\n    }\n    merchantIssuesRequirement\n    operationalForGoogle {\n      name\n      email\n      phone\n    }\n    operationalForUsers {\n      name\n      email\n      phone\n    }\n    operationalSupport {\n      ...SupportHoursFields\n    }\n    updatedAt\n    updatedBy {\n      id\n      email\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ContactInfoFields on ContactInfo {\n    version\n    alertContacts {\n      id\n      email\n      name\n    }\n    technicalEmergency {\n      name\n      email\n      phone\n    }\n    technicalNonEmergency {\n      name\n      email\n      phone\n    }\n    merchantIssues {\n      name\n      email\n      phone\n    }\n    merchantIssuesRequirement\n    operationalForGoogle {\n      name\n      email\n      phone\n    }\n    operationalForUsers {\n      name\n      email\n      phone\n    }\n    operationalSupport {\n      ...SupportHoursFields\n    }\n    updatedAt\n    updatedBy {\n      id\n      email\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SupportHoursFields on SupportHours {\n    alwaysOpen\n    windows {\n      days\n      opens\n      closes\n      timeZone\n    }\n    openNow\n    nextChange\n  }\n"): (typeof documents)["\n  fragment SupportHoursFields on SupportHours {\n    alwaysOpen\n    windows {\n      days\n      opens\n      closes\n      timeZone\n    }\n    openNow\n    nextChange\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateContactInfo($input: UpdateContactInfoInput!, $environment: Environment!) {\n    updateContactInfo(input: $input) {\n      account {\n        id\n        accessGate(environment: $environment) {\n          ...AccessGateFields\n        }\n        contactInfo {\n          ...ContactInfoFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateContactInfo($input: UpdateContactInfoInput!, $environment: Environment!) {\n    updateContactInfo(input: $input) {\n      account {\n        id\n        accessGate(environment: $environment) {\n          ...AccessGateFields\n        }\n        contactInfo {\n          ...ContactInfoFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactInfoLatest($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      contactInfo {\n        ...ContactInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactInfoLatest($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      contactInfo {\n        ...ContactInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Launch($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      launchRequestedAt\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Launch($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      launchRequestedAt\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestLaunch($accountId: ID!) {\n    requestLaunch(accountId: $accountId) {\n      id\n      launchRequestedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RequestLaunch($accountId: ID!) {\n    requestLaunch(accountId: $accountId) {\n      id\n      launchRequestedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      launchRequestedAt\n      sandbox: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      contactInfo {\n        version\n        updatedAt\n        updatedBy {\n          id\n          email\n          name\n        }\n        operationalForUsers {\n          name\n          email\n          phone\n        }\n        operationalSupport {\n          ...SupportHoursFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Overview($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      launchRequestedAt\n      sandbox: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      contactInfo {\n        version\n        updatedAt\n        updatedBy {\n          id\n          email\n          name\n        }\n        operationalForUsers {\n          name\n          email\n          phone\n        }\n        operationalSupport {\n          ...SupportHoursFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PublicSupport($accountId: ID!) {\n    publicSupportContact(accountId: $accountId) {\n      accountName\n      contact {\n        name\n        email\n        phone\n      }\n      operationalSupport {\n        ...SupportHoursFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query PublicSupport($accountId: ID!) {\n    publicSupportContact(accountId: $accountId) {\n      accountName\n      contact {\n        name\n        email\n        phone\n      }\n      operationalSupport {\n        ...SupportHoursFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountReachability($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      reachability {\n        unreachable\n        unverified\n        unreachableFields\n        unverifiedFields\n      }\n      addresses {\n        email\n        state\n        since\n        detail\n        verifiedBy\n        lastTest {\n          field\n          status\n          at\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccountReachability($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      reachability {\n        unreachable\n        unverified\n        unreachableFields\n        unverifiedFields\n      }\n      addresses {\n        email\n        state\n        since\n        detail\n        verifiedBy\n        lastTest {\n          field\n          status\n          at\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReachabilityChanged($accountId: ID!) {\n    reachabilityChanged(accountId: $accountId) {\n      unreachable\n      unverified\n      unreachableFields\n      unverifiedFields\n    }\n  }\n"): (typeof documents)["\n  subscription ReachabilityChanged($accountId: ID!) {\n    reachabilityChanged(accountId: $accountId) {\n      unreachable\n      unverified\n      unreachableFields\n      unverifiedFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResendVerification($accountId: ID!, $email: String!) {\n    resendVerification(accountId: $accountId, email: $email) {\n      email\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation ResendVerification($accountId: ID!, $email: String!) {\n    resendVerification(accountId: $accountId, email: $email) {\n      email\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestMessage($accountId: ID!, $field: ContactField!) {\n    sendTestMessage(accountId: $accountId, field: $field) {\n      email\n      state\n      lastTest {\n        field\n        status\n        at\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SendTestMessage($accountId: ID!, $field: ContactField!) {\n    sendTestMessage(accountId: $accountId, field: $field) {\n      email\n      state\n      lastTest {\n        field\n        status\n        at\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactLink($token: String!) {\n    contactLink(token: $token) {\n      accountName\n      email\n      purpose\n      fields\n    }\n  }\n"): (typeof documents)["\n  query ContactLink($token: String!) {\n    contactLink(token: $token) {\n      accountName\n      email\n      purpose\n      fields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmContactAddress($token: String!) {\n    confirmContactAddress(token: $token) {\n      email\n      purpose\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmContactAddress($token: String!) {\n    confirmContactAddress(token: $token) {\n      email\n      purpose\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisputeContactAddress($token: String!) {\n    disputeContactAddress(token: $token) {\n      email\n    }\n  }\n"): (typeof documents)["\n  mutation DisputeContactAddress($token: String!) {\n    disputeContactAddress(token: $token) {\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmContactInfo($accountId: ID!, $environment: Environment!) {\n    confirmContactInfo(accountId: $accountId) {\n      account {\n        id\n        accessGate(environment: $environment) {\n          ...AccessGateFields\n        }\n        contactInfo {\n          reviewedAt\n          reviewDueAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmContactInfo($accountId: ID!, $environment: Environment!) {\n    confirmContactInfo(accountId: $accountId) {\n      account {\n        id\n        accessGate(environment: $environment) {\n          ...AccessGateFields\n        }\n        contactInfo {\n          reviewedAt\n          reviewDueAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountHealth {\n    accountHealth(environment: PRODUCTION) {\n      environment\n      total\n      complete\n      locked\n      reviewCurrent\n      reviewDue\n      reviewLocked\n      withWarnings\n      unreachable\n      unverified\n      warnings {\n        code\n        accounts\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccountHealth {\n    accountHealth(environment: PRODUCTION) {\n      environment\n      total\n      complete\n      locked\n      reviewCurrent\n      reviewDue\n      reviewLocked\n      withWarnings\n      unreachable\n      unverified\n      warnings {\n        code\n        accounts\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Recipients($accountId: ID!, $kind: NotificationKind!) {\n    recipients(accountId: $accountId, kind: $kind) {\n      name\n      email\n      phone\n      reachability {\n        state\n        detail\n      }\n    }\n  }\n"): (typeof documents)["\n  query Recipients($accountId: ID!, $kind: NotificationKind!) {\n    recipients(accountId: $accountId, kind: $kind) {\n      name\n      email\n      phone\n      reachability {\n        state\n        detail\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendNotification($input: SendNotificationInput!) {\n    sendNotification(input: $input) {\n      id\n      kind\n      subject\n      createdAt\n      recipients {\n        name\n        email\n      }\n      deliveries {\n        email\n        status\n        attempts\n        lastError\n        sentAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SendNotification($input: SendNotificationInput!) {\n    sendNotification(input: $input) {\n      id\n      kind\n      subject\n      createdAt\n      recipients {\n        name\n        email\n      }\n      deliveries {\n        email\n        status\n        attempts\n        lastError\n        sentAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffAccount($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      createdAt\n      launchRequestedAt\n      sandbox: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      contactInfo {\n        ...ContactInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query StaffAccount($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      integrationTypes\n      createdAt\n      launchRequestedAt\n      sandbox: accessGate(environment: SANDBOX) {\n        ...AccessGateFields\n      }\n      production: accessGate(environment: PRODUCTION) {\n        ...AccessGateFields\n      }\n      contactInfo {\n        ...ContactInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffNotifications($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      notifications {\n        id\n        kind\n        subject\n        createdAt\n        deliveries {\n          email\n          status\n          attempts\n          lastError\n          sentAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query StaffNotifications($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      notifications {\n        id\n        kind\n        subject\n        createdAt\n        deliveries {\n          email\n          status\n          attempts\n          lastError\n          sentAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffAccounts($filter: AccountFilter, $first: Int, $after: String) {\n    accounts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        cursor\n        node {\n          id\n          name\n          integrationTypes\n          createdAt\n          sandbox: accessGate(environment: SANDBOX) {\n            ...AccessGateFields\n          }\n          production: accessGate(environment: PRODUCTION) {\n            ...AccessGateFields\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query StaffAccounts($filter: AccountFilter, $first: Int, $after: String) {\n    accounts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        cursor\n        node {\n          id\n          name\n          integrationTypes\n          createdAt\n          sandbox: accessGate(environment: SANDBOX) {\n            ...AccessGateFields\n          }\n          production: accessGate(environment: PRODUCTION) {\n            ...AccessGateFields\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteUser($input: InviteUserInput!) {\n    inviteUser(input: $input) {\n      id\n      email\n      role\n      expiresAt\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  mutation InviteUser($input: InviteUserInput!) {\n    inviteUser(input: $input) {\n      id\n      email\n      role\n      expiresAt\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersPanel($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      members {\n        role\n        createdAt\n        user {\n          id\n          email\n          name\n        }\n      }\n      invitations {\n        id\n        email\n        role\n        expiresAt\n        createdAt\n      }\n      contactInfo {\n        alertContacts {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query UsersPanel($accountId: ID!) {\n    account(id: $accountId) {\n      id\n      name\n      members {\n        role\n        createdAt\n        user {\n          id\n          email\n          name\n        }\n      }\n      invitations {\n        id\n        email\n        role\n        expiresAt\n        createdAt\n      }\n      contactInfo {\n        alertContacts {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMemberRole($accountId: ID!, $userId: ID!, $role: Role!) {\n    updateMemberRole(accountId: $accountId, userId: $userId, role: $role) {\n      role\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMemberRole($accountId: ID!, $userId: ID!, $role: Role!) {\n    updateMemberRole(accountId: $accountId, userId: $userId, role: $role) {\n      role\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($accountId: ID!, $userId: ID!) {\n    removeMember(accountId: $accountId, userId: $userId)\n  }\n"): (typeof documents)["\n  mutation RemoveMember($accountId: ID!, $userId: ID!) {\n    removeMember(accountId: $accountId, userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AccessGateChanged($accountId: ID!, $environment: Environment!) {\n    accessGateChanged(accountId: $accountId, environment: $environment) {\n      ...AccessGateFields\n    }\n  }\n"): (typeof documents)["\n  subscription AccessGateChanged($accountId: ID!, $environment: Environment!) {\n    accessGateChanged(accountId: $accountId, environment: $environment) {\n      ...AccessGateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      staff\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        account {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      staff\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        account {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PortalConfig {\n    portalConfig {\n      supportUrl\n      referenceGuideUrl\n      integrationTypes {\n        name\n        label\n        merchantIssues\n      }\n    }\n  }\n"): (typeof documents)["\n  query PortalConfig {\n    portalConfig {\n      supportUrl\n      referenceGuideUrl\n      integrationTypes {\n        name\n        label\n        merchantIssues\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetLanguage($language: String!) {\n    setLanguage(language: $language) {\n      user {\n        id\n        language\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetLanguage($language: String!) {\n    setLanguage(language: $language) {\n      user {\n        id\n        language\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;