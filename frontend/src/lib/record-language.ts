import type { Client } from 'urql';
import { graphql } from '../gql/gql';

export const SetLanguageDocument = graphql(`
  mutation SetLanguage($language: String!) {
    setLanguage(language: $language) {
      user {
        id
        language
      }
    }
  }
`);

/** The server's language code for a UI language: "it" or "en". */
export function mailLanguage(language: string | undefined): 'en' | 'it' {
  return language?.toLowerCase().startsWith('it') ? 'it' : 'en';
}

/**
 * Tells the server the signed-in person's language, in which it writes the mails they receive.
 * Fire and forget: a failure changes nothing the person sees.
 */
export function recordLanguage(client: Client, language: string | undefined): void {
  void client
    .mutation(SetLanguageDocument, { language: mailLanguage(language) })
    .toPromise()
    .catch(() => undefined);
}
