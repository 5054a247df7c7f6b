import { Fragment, useState, type ReactNode } from 'react';
import { useQuery, type AnyVariables, type TypedDocumentNode } from 'urql';
import { graphql } from '../gql/gql';
import { getFragmentData, type FragmentType } from '../gql/fragment-masking';

/** Where a connection's page ends and whether another follows; spread in every paged query. */
export const PageInfoFieldsDoc = graphql(`
  fragment PageInfoFields on PageInfo {
    hasNextPage
    endCursor
  }
`);

/** What one page of a connection needs to know to load itself and offer the next. */
export type CursorPageProps = {
  /** The cursor this page starts after (null for the first page). */
  after: string | null;
  first: boolean;
  /** Only the last page loaded offers "more". */
  last: boolean;
  onMore: (endCursor: string) => void;
};

/**
 * The pages of a Relay connection shown so far, newest first: each page is its own query (so a
 * page already shown stays as it is while the next loads), appended when the last one's "more" is
 * pressed. Used by the change history and the activity log.
 */
export function CursorPages({ children }: { children: (page: CursorPageProps) => ReactNode }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const onMore = (cursor: string) => setCursors((c) => [...c, cursor]);
  return (
    <>
      {cursors.map((after, i) => (
        <Fragment key={after ?? 'first'}>{children({ after, first: i === 0, last: i === cursors.length - 1, onMore })}</Fragment>
      ))}
    </>
  );
}

/** The end cursor to offer "more" with: on the last page shown, when the connection has a next page. */
export function moreCursor(page: CursorPageProps, ref: FragmentType<typeof PageInfoFieldsDoc>): string | null {
  const pageInfo = getFragmentData(PageInfoFieldsDoc, ref);
  return page.last && pageInfo.hasNextPage && pageInfo.endCursor ? pageInfo.endCursor : null;
}

/**
 * One page's query: the connection's variables with this page's `after`, from the cache and then the
 * network (a page shown again is refreshed).
 */
export function useCursorPageQuery<Data, Variables extends AnyVariables>(
  query: TypedDocumentNode<Data, Variables>,
  variables: Omit<Variables, 'after'>,
  page: CursorPageProps,
) {
  return useQuery<Data, Variables>({
    query,
    variables: { ...variables, after: page.after } as unknown as Variables,
    requestPolicy: 'cache-and-network',
  });
}
