import type { CodegenConfig } from '@graphql-codegen/cli';
import { createHash } from 'node:crypto';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

// Reads the schema straight from the Go module's graph/ folder: no server needed.
// `npm run codegen` rewrites src/gql/ (committed); `npm run build` runs it first so CI sees staleness.
const config: CodegenConfig = {
  schema: '../graph/*.graphqls',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      // __typename in every selection set, as urql's document cache would add it: the server runs the
      // persisted text, so the text itself must ask for what the cache needs to invalidate by type.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        // Components receive FragmentType<typeof XFieldsDoc> and unmask it with getFragmentData (the
        // preset's useFragment under a name that says it is no hook: a type-level cast, also called
        // in callbacks and after early returns).
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
        // Each operation's sha256 (hex, of its normalised text with its fragments) in the document's
        // __meta__.hash, and src/gql/persisted-documents.json (hash → text), which the Go binary embeds
        // and serves by hash: the app sends the hash only (see src/lib/persisted-documents.ts).
        // Plain hex, as the automatic-persisted-query protocol's sha256Hash.
        persistedDocuments: { hashAlgorithm: (text: string) => createHash('sha256').update(text).digest('hex') },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Time: 'string' },
        skipTypename: false,
      },
    },
  },
};

export default config;
