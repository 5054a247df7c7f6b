import { describe, expect, it } from 'vitest';
import { Client, fetchExchange } from 'urql';
import { MeDocument } from './me-context';
import { documentHash, persistedDocumentsExchange } from './persisted-documents';

type Sent = { query?: string; operationName?: string; extensions?: { persistedQuery?: { version: number; sha256Hash: string } } };

/** A client whose fetch records each body and answers from `answer`. */
function recordingClient(answer: (body: Sent, n: number) => unknown) {
  const sent: Sent[] = [];
  const fetch = (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Sent;
    sent.push(body);
    return Promise.resolve(
      new Response(JSON.stringify(answer(body, sent.length)), { status: 200, headers: { 'content-type': 'application/json' } }),
    );
  };
  const client = new Client({ url: '/graphql', fetch, exchanges: [persistedDocumentsExchange, fetchExchange], preferGetMethod: false });
  return { client, sent };
}

const me = { me: null };

describe('persistedDocumentsExchange', () => {
  it('sends an operation by its codegen hash, without the query text', async () => {
    const hash = documentHash(MeDocument);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const { client, sent } = recordingClient(() => ({ data: me }));
    const result = await client.query(MeDocument, {}).toPromise();
    expect(result.data).toEqual(me);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.query).toBeUndefined();
    expect(sent[0]?.operationName).toBe('Me');
    expect(sent[0]?.extensions?.persistedQuery).toEqual({ version: 1, sha256Hash: hash });
  });

  it('sends the full text once more, without the hash, when the server does not know the hash', async () => {
    const { client, sent } = recordingClient((body) =>
      body.query
        ? { data: me }
        : { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] },
    );
    const result = await client.query(MeDocument, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(me);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.query).toContain('query Me');
    expect(sent[1]?.extensions?.persistedQuery).toBeUndefined();
  });
});
