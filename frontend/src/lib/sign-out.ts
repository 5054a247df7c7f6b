import { useCallback } from 'react';
import { useMutation } from 'urql';
import { useNavigate } from 'react-router';
import { graphql } from '../gql/gql';
import { useSession } from './session-context';

export const SignOutDocument = graphql(`
  mutation SignOut {
    signOut
  }
`);

/** Ends the session, forgets every cached answer and goes to the sign-in page. */
export function useSignOut(): () => void {
  const [, signOut] = useMutation(SignOutDocument);
  const { resetClient } = useSession();
  const navigate = useNavigate();
  return useCallback(() => {
    void signOut({}).finally(() => {
      resetClient();
      navigate('/sign-in', { replace: true });
    });
  }, [signOut, resetClient, navigate]);
}
