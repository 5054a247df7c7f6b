import { createContext, useContext } from 'react';

export type Session = {
  /** Drops every cached answer, e.g. after sign-in or sign-out. */
  resetClient: () => void;
};

export const SessionContext = createContext<Session>({ resetClient: () => {} });

export function useSession(): Session {
  return useContext(SessionContext);
}
