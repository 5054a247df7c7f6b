import { useSearchParams } from 'react-router';
import type { Environment } from '../gql/graphql';

/** The environment the user works in, kept in the URL as ?env=sandbox|production. */
export function useEnvironment(): Environment {
  const [params] = useSearchParams();
  return parseEnvironment(params.get('env'));
}

export function parseEnvironment(value: string | null | undefined): Environment {
  return value?.toLowerCase() === 'production' ? 'PRODUCTION' : 'SANDBOX';
}

export function envQuery(env: Environment): string {
  return `?env=${env.toLowerCase()}`;
}

export type AccountSection = 'overview' | 'contact-info' | 'users' | 'activity' | 'api-access' | 'launch';

export function accountPath(accountId: string, section: AccountSection, env: Environment): string {
  return `/accounts/${encodeURIComponent(accountId)}/${section}${envQuery(env)}`;
}
