import type { ContactField, Environment, Requirement } from '../../gql/graphql';
import type { ContactFormValues } from './form-model';

/** The seven fields in the order the page and the gate show them. */
export const FIELD_ORDER: ContactField[] = [
  'ALERT_CONTACTS',
  'TECHNICAL_EMERGENCY',
  'TECHNICAL_NON_EMERGENCY',
  'MERCHANT_ISSUES',
  'OPERATIONAL_FOR_GOOGLE',
  'OPERATIONAL_FOR_USERS',
  'OPERATIONAL_SUPPORT',
];

export const FORM_KEY: Record<ContactField, keyof ContactFormValues> = {
  ALERT_CONTACTS: 'alertContactUserIds',
  TECHNICAL_EMERGENCY: 'technicalEmergency',
  TECHNICAL_NON_EMERGENCY: 'technicalNonEmergency',
  MERCHANT_ISSUES: 'merchantIssues',
  OPERATIONAL_FOR_GOOGLE: 'operationalForGoogle',
  OPERATIONAL_FOR_USERS: 'operationalForUsers',
  OPERATIONAL_SUPPORT: 'operationalSupport',
};

export type FieldNeed = 'required' | 'optional' | 'productionOnly' | 'hidden';

/** Whether a field is asked for, given the environment and the merchant requirement. */
export function fieldNeed(field: ContactField, environment: Environment, merchant: Requirement): FieldNeed {
  if (field === 'ALERT_CONTACTS') return environment === 'PRODUCTION' ? 'required' : 'productionOnly';
  if (field === 'MERCHANT_ISSUES') {
    if (merchant === 'UNAVAILABLE') return 'hidden';
    return merchant === 'OPTIONAL' ? 'optional' : 'required';
  }
  return 'required';
}

export function sectionId(field: ContactField): string {
  return `field-${field.toLowerCase().replace(/_/g, '-')}`;
}
