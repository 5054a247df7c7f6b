import { createContext, useContext, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql/gql';
import type { MeQuery } from '../gql/graphql';
import { Loading } from '../components/loading';
import { ErrorAlert } from '../components/error-alert';
import { hasCode } from './errors';
import { Box } from '@mui/material';

export const MeDocument = graphql(`
  query Me {
    me {
      staff
      user {
        id
        email
        name
      }
      memberships {
        role
        account {
          id
          name
        }
      }
    }
  }
`);

export type Me = NonNullable<MeQuery['me']>;
export type Membership = Me['memberships'][number];

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside <RequireAuth>');
  return me;
}

export function useMembership(accountId: string | undefined): Membership | undefined {
  const me = useMe();
  return me.memberships.find((m) => m.account.id === accountId);
}

/** Renders its children with the signed-in person, or sends the visitor to the sign-in page. */
export function RequireAuth({ children, staffOnly = false }: { children: ReactNode; staffOnly?: boolean }) {
  const location = useLocation();
  const [{ data, fetching, error }] = useQuery({ query: MeDocument, requestPolicy: 'cache-first' });
  if (fetching && !data) return <Loading minHeight="60vh" />;
  const next = encodeURIComponent(location.pathname + location.search);
  if (error && hasCode(error, 'UNAUTHENTICATED')) return <Navigate to={`/sign-in?next=${next}`} replace />;
  if (error && !data) {
    return (
      <Box sx={{ p: 3 }}>
        <ErrorAlert error={error} />
      </Box>
    );
  }
  const me = data?.me;
  if (!me) return <Navigate to={`/sign-in?next=${next}`} replace />;
  if (staffOnly && !me.staff) return <Navigate to="/" replace />;
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}
