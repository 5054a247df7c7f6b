import { graphql } from '../../gql/gql';

export const AccountReachabilityDocument = graphql(`
  query AccountReachability($accountId: ID!) {
    account(id: $accountId) {
      id
      reachability {
        unreachable
        unverified
        unreachableFields
        unverifiedFields
      }
      addresses {
        email
        state
        since
        detail
        verifiedBy
        lastTest {
          field
          status
          at
        }
      }
    }
  }
`);

export const ReachabilityChangedDocument = graphql(`
  subscription ReachabilityChanged($accountId: ID!) {
    reachabilityChanged(accountId: $accountId) {
      unreachable
      unverified
      unreachableFields
      unverifiedFields
    }
  }
`);

export const ResendVerificationDocument = graphql(`
  mutation ResendVerification($accountId: ID!, $email: String!) {
    resendVerification(accountId: $accountId, email: $email) {
      email
      state
    }
  }
`);

export const SendTestMessageDocument = graphql(`
  mutation SendTestMessage($accountId: ID!, $field: ContactField!) {
    sendTestMessage(accountId: $accountId, field: $field) {
      email
      state
      lastTest {
        field
        status
        at
      }
    }
  }
`);

export const ContactLinkDocument = graphql(`
  query ContactLink($token: String!) {
    contactLink(token: $token) {
      accountName
      email
      purpose
      fields
    }
  }
`);

export const ConfirmContactAddressDocument = graphql(`
  mutation ConfirmContactAddress($token: String!) {
    confirmContactAddress(token: $token) {
      email
      purpose
    }
  }
`);

export const DisputeContactAddressDocument = graphql(`
  mutation DisputeContactAddress($token: String!) {
    disputeContactAddress(token: $token) {
      email
    }
  }
`);
