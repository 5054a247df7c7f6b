import { graphql } from '../../gql/gql';

/** Everything the form and the summaries show of an account's contact info. */
export const ContactInfoFieldsDoc = graphql(`
  fragment ContactInfoFields on ContactInfo {
    version
    alertContacts {
      id
      email
      name
    }
    technicalEmergency {
      name
      email
      phone
    }
    technicalNonEmergency {
      name
      email
      phone
    }
    merchantIssues {
      name
      email
      phone
    }
    merchantIssuesRequirement
    operationalForGoogle {
      name
      email
      phone
    }
    operationalForUsers {
      name
      email
      phone
    }
    operationalSupport {
      ...SupportHoursFields
    }
    updatedAt
    updatedBy {
      id
      email
      name
    }
  }
`);
